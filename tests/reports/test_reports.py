"""The reports page: its numbers on a small known data set (days in the System's zone),
the CSV downloads, who may see it, and its query count over a short and a long range."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tenants.models import System
from tests.support.tenancy import client_for, in_schema
from tickets.models import Category, Status
from tickets.reports import sections
from tickets.services.tickets import ticket_update
from tickets.sla.models import TicketSLA

RANGE = "start=2026-03-01&end=2026-03-03"
HOUR = timedelta(hours=1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def known(system_a, agent_a, member_a, make_ticket):
    """Hanoi is UTC+7. Three tickets:
    one created 1 March 09:00 local, answered in 2 h, solved 24 h later (agent, Billing,
    tag vip); one created 1 March 23:30 local (16:30 UTC), answered in 4 h after its
    3 h target was breached; one created 4 March 00:30 local (3 March in UTC): outside."""
    System.objects.filter(pk=system_a.pk).update(time_zone="Asia/Ho_Chi_Minh")
    with in_schema(system_a):
        billing = Category.objects.create(name="Billing")
    with time_machine.travel(at("2026-03-01T02:00"), tick=False):
        first = make_ticket(
            agent_a, requester=member_a, assignee=agent_a, category=billing, tags=["vip"]
        )
    with time_machine.travel(at("2026-03-01T16:30"), tick=False):
        second = make_ticket(member_a, subject="Late in the evening")
    with time_machine.travel(at("2026-03-03T17:30"), tick=False):
        make_ticket(member_a, subject="After midnight")
    with in_schema(system_a):
        with time_machine.travel(at("2026-03-02T02:00"), tick=False):
            ticket_update(actor=agent_a, ticket=first, changes={"status": Status.SOLVED})
        TicketSLA.objects.update_or_create(
            ticket=first,
            defaults={
                "response_done_at": at("2026-03-01T04:00"),
                "resolution_done_at": at("2026-03-02T02:00"),
            },
        )
        TicketSLA.objects.update_or_create(
            ticket=second,
            defaults={
                "response_breached_at": at("2026-03-01T19:30"),
                "response_done_at": at("2026-03-01T20:30"),
            },
        )
    return first, second


def _rows(html: str, key: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="table-{key}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, key
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    ]


def test_the_page_counts_each_ticket_on_its_local_day_with_times_and_sla(system_a, agent_a, known):
    client = client_for(system_a, agent_a)
    with time_machine.travel(at("2026-03-10T00:00"), tick=False):
        response = client.get(f"/reports/?{RANGE}&by=tag")
    html = response.content.decode()
    assert response.status_code == 200
    # 23:30 local on 1 March is 1 March; 00:30 local on 4 March is outside, though 3 March UTC.
    assert _rows(html, "created") == [
        ["2026-03-01", "2", "0"],
        ["2026-03-02", "0", "1"],
        ["2026-03-03", "0", "0"],
    ]
    assert _rows(html, "backlog") == [
        ["2026-03-01", "1", "1", "0"],  # the agent's ticket was open from the start
        ["2026-03-02", "1", "0", "0"],
        ["2026-03-03", "1", "0", "0"],
    ]
    # 2 h and 4 h: median 3, p90 3.8; one resolution of 24 h.
    assert _rows(html, "times") == [
        ["First response", "3.0", "3.8", "2"],
        ["Resolution", "24.0", "24.0", "1"],
    ]
    assert _rows(html, "sla") == [["First response", "1", "1"], ["Resolution", "1", "0"]]
    assert _rows(html, "by-tag") == [
        ["vip", "1", "1", "2.0", "2.0", "24.0", "24.0", "2", "0"],
        ["No tag", "1", "0", "4.0", "4.0", "—", "—", "0", "1"],
    ]
    assert '<svg role="img" aria-labelledby="chart-created-title chart-created-desc"' in html
    assert "days in Asia/Ho_Chi_Minh" in html


def test_the_breakdown_by_agent_names_the_assignee(system_a, agent_a, known):
    client = client_for(system_a, agent_a)
    response = client.get(f"/reports/?{RANGE}&by=agent")
    rows = _rows(response.content.decode(), "by-agent")
    assert [r[:3] for r in rows] == [["Arno Agent", "1", "1"], ["Unassigned", "1", "0"]]


@pytest.mark.parametrize("key", ["created", "backlog", "times", "sla", "by-category"])
def test_each_csv_holds_what_its_table_shows(system_a, admin_a, known, key):
    client = client_for(system_a, admin_a)
    page = client.get(f"/reports/?{RANGE}&by=category").content.decode()
    response = client.get(f"/reports/{key}.csv?{RANGE}&by=category")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [[c or "—" for c in row] for row in rows[1:]] == _rows(page, key)


def test_a_cell_that_looks_like_a_formula_is_escaped_in_the_csv(
    system_a, agent_a, member_a, make_ticket
):
    with time_machine.travel(at("2026-03-01T02:00"), tick=False):
        make_ticket(agent_a, requester=member_a, tags=["=cmd"])
    client = client_for(system_a, agent_a)
    body = client.get(f"/reports/by-tag.csv?{RANGE}&by=tag").content.decode()
    assert "'=cmd" in body


def test_a_registered_section_shows_with_its_csv(system_a, agent_a):
    def provider(*, start, end):
        return sections.Table(
            key="extra", title="Extra numbers", headers=["Rating", "Answers"], rows=[["Good", 3]]
        )

    client = client_for(system_a, agent_a)
    assert "Extra numbers" not in client.get(f"/reports/?{RANGE}").content.decode()
    sections.register_section("extra", provider)
    try:
        html = client.get(f"/reports/?{RANGE}").content.decode()
        assert _rows(html, "extra") == [["Good", "3"]]
        csv_body = client.get(f"/reports/extra.csv?{RANGE}").content.decode()
        assert csv_body.splitlines() == ["Rating,Answers", "Good,3"]
    finally:
        sections.unregister_section("extra")


def test_satisfaction_shows_the_ranges_solves_and_their_answers(system_a, agent_a, known):
    from tickets.satisfaction.models import SatisfactionRating

    first, _second = known
    with in_schema(system_a):
        SatisfactionRating.objects.filter(ticket=first).update(
            answer="good", answered_at=at("2026-03-02T05:00")
        )

    html = client_for(system_a, agent_a).get(f"/reports/?{RANGE}").content.decode()

    assert _rows(html, "satisfaction") == [
        ["All", "1", "1", "1", "0", "100.0", "100.0"],
        [agent_a.get_full_name(), "1", "1", "1", "0", "100.0", "100.0"],
    ]


def test_a_range_that_ends_before_it_starts_keeps_the_form_with_an_error(system_a, agent_a):
    response = client_for(system_a, agent_a).get("/reports/?start=2026-03-05&end=2026-03-01")
    assert response.status_code == 400
    assert "The first day must come before the last." in response.content.decode()
    assert 'value="2026-03-05"' in response.content.decode()


def test_the_dashboard_links_reports_for_staff_only(system_a, agent_a, member_a):
    assert 'href="/reports/"' in client_for(system_a, agent_a).get("/").content.decode()
    assert 'href="/reports/"' not in client_for(system_a, member_a).get("/").content.decode()


@pytest.mark.parametrize("url", ["/reports/", "/reports/created.csv"])
def test_a_member_is_refused_and_another_systems_user_gets_what_a_visitor_gets(
    system_a, system_b, member_a, user_b, url
):
    assert client_for(system_a, member_a).get(url).status_code == 403
    anonymous = client_for(system_a).get(url)
    intruder = client_for(system_b, user_b)  # B's session cookie at A's host
    intruder.defaults["HTTP_HOST"] = client_for(system_a).defaults["HTTP_HOST"]
    foreign = intruder.get(url)
    assert foreign.status_code == anonymous.status_code
    assert foreign.status_code in (302, 404)


def test_an_unknown_table_is_not_found(system_a, agent_a):
    assert client_for(system_a, agent_a).get("/reports/nothing.csv").status_code == 404


@pytest.mark.parametrize("days", [1, 60])
def test_the_page_costs_the_same_queries_for_a_day_or_sixty(
    system_a, agent_a, member_a, make_ticket, days, django_assert_max_num_queries
):
    start = at("2026-01-01T03:00")
    for i in range(0, days, max(days // 6, 1)):
        with time_machine.travel(start + timedelta(days=i), tick=False):
            make_ticket(agent_a, requester=member_a, assignee=agent_a, tags=[f"t{i}"])
    end = (start + timedelta(days=days - 1)).date()
    client = client_for(system_a, agent_a)
    client.get("/")  # the session and the System are read once
    # 12, + the satisfaction section: the total, per agent, their names.
    with django_assert_max_num_queries(15):
        response = client.get(f"/reports/?start=2026-01-01&end={end}&by=tag")
    assert len(_rows(response.content.decode(), "created")) == days
    assert response.content.decode().count("<polyline") == 5
