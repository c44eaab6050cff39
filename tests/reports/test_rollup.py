"""The daily rollup gives the page the same numbers as computing them from the tickets
(tickets.reports.live, the oracle): on the known data set, on a bigger made-up one, with
today read live, after late changes and after a change of zone; and the page's query
count does not grow with the range once it reads the rollup."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tenants.models import System
from tests.reports.test_reports import RANGE, _rows, at, known  # noqa: F401 (a fixture)
from tests.support.tenancy import client_for, in_schema
from tickets.models import Category, Status, Ticket
from tickets.reports import live, selectors
from tickets.reports.models import ReportDay, ReportState, ReportTime
from tickets.reports.rollup import report_rollup_refresh
from tickets.services.tickets import ticket_update
from tickets.sla.models import TicketSLA

NOW = at("2026-03-10T00:00")
BYS = ("agent", "category", "tag")


def _tables_live(first: date, last: date, zone: ZoneInfo) -> dict:
    period = live.Period(first=first, last=last, zone=zone)
    totals = live.summary(period)
    return {
        "created": live.created_solved(period).rows,
        "backlog": live.backlog(period).rows,
        "summary": totals,
        **{f"by-{by}": live.breakdown(period, by=by).rows for by in BYS},
    }


def _tables_rollup(first: date, last: date, zone: ZoneInfo) -> dict:
    period = live.Period(first=first, last=last, zone=zone)
    split = selectors._split(period, today=datetime.now(tz=UTC).astimezone(zone).date())
    assert split is not None, "the rollup is built"
    return {
        "created": selectors.created_solved(split).rows,
        "backlog": selectors.backlog(split).rows,
        "summary": selectors.summary(split),
        **{f"by-{by}": selectors.breakdown(split, by=by).rows for by in BYS},
    }


def _same(first: date, last: date, zone: ZoneInfo) -> None:
    rollup, oracle = _tables_rollup(first, last, zone), _tables_live(first, last, zone)
    for key, value in oracle.items():
        assert rollup[key] == value, key


HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_rollup_gives_the_known_numbers(system_a, agent_a, known):  # noqa: F811
    with time_machine.travel(NOW, tick=False), in_schema(system_a):
        assert report_rollup_refresh() > 0
        assert ReportState.objects.get().zone == "Asia/Ho_Chi_Minh"
        _same(date(2026, 3, 1), date(2026, 3, 3), HANOI)
        _same(date(2026, 2, 20), date(2026, 3, 10), HANOI)  # today (10 March) read live
    with time_machine.travel(NOW, tick=False):
        html = client_for(system_a, agent_a).get(f"/reports/?{RANGE}&by=tag").content.decode()
    assert _rows(html, "created") == [
        ["2026-03-01", "2", "0"],
        ["2026-03-02", "0", "1"],
        ["2026-03-03", "0", "0"],
    ]
    assert _rows(html, "times") == [
        ["First response", "3.0", "3.8", "2"],
        ["Resolution", "24.0", "24.0", "1"],
    ]
    assert _rows(html, "by-tag") == [
        ["vip", "1", "1", "2.0", "2.0", "24.0", "24.0", "2", "0"],
        ["No tag", "1", "0", "4.0", "4.0", "—", "—", "0", "1"],
    ]


@pytest.fixture
def many(system_a, agent_a, admin_a, member_a, make_ticket):
    """Forty tickets over three weeks of Hanoi days: some assigned, tagged, categorised,
    answered, solved (some reopened), some with SLA targets breached."""
    rng = random.Random(15)
    System.objects.filter(pk=system_a.pk).update(time_zone="Asia/Ho_Chi_Minh")
    system_a.time_zone = "Asia/Ho_Chi_Minh"
    with in_schema(system_a):
        categories = [Category.objects.create(name=n) for n in ("Billing", "Hardware")]
    start = at("2026-02-10T00:00")
    tickets = []
    for i in range(40):
        created = start + timedelta(hours=rng.randrange(0, 21 * 24))
        with time_machine.travel(created, tick=False):
            tickets.append(
                make_ticket(
                    member_a,
                    subject=f"Ticket {i}",
                    assignee=rng.choice([agent_a, admin_a, None]),
                    category=rng.choice([*categories, None]),
                    tags=rng.sample(["vip", "printer", "vpn"], rng.randrange(0, 3)),
                )
            )
    with in_schema(system_a):
        for ticket in tickets:
            created = ticket.created_at
            answered = created + timedelta(hours=rng.randrange(1, 40))
            breached = (
                created + timedelta(hours=8) if answered - created > timedelta(hours=8) else None
            )
            TicketSLA.objects.update_or_create(
                ticket=ticket,
                defaults={"response_done_at": answered, "response_breached_at": breached},
            )
            # An answer is a reply: it moves the ticket's updated_at, as in the product.
            Ticket.objects.filter(pk=ticket.pk, updated_at__lt=answered).update(updated_at=answered)
            for status in rng.choice(
                [[], [Status.OPEN], [Status.SOLVED], [Status.PENDING, Status.SOLVED, Status.OPEN]]
            ):
                answered += timedelta(hours=rng.randrange(1, 30))
                with time_machine.travel(answered, tick=False):
                    ticket_update(actor=agent_a, ticket=ticket, changes={"status": status})
    return tickets


def test_the_rollup_and_the_tickets_agree_on_every_range(system_a, many):
    with time_machine.travel(NOW, tick=False), in_schema(system_a):
        report_rollup_refresh()
        for first, last in [
            (date(2026, 2, 1), date(2026, 3, 10)),  # all of it, today live
            (date(2026, 2, 14), date(2026, 2, 20)),
            (date(2026, 2, 28), date(2026, 2, 28)),
            (date(2026, 3, 5), date(2026, 3, 12)),  # past today
        ]:
            _same(first, last, HANOI)


def test_a_late_change_to_an_old_ticket_is_in_the_next_refresh(system_a, many, admin_a, agent_a):
    with time_machine.travel(NOW, tick=False), in_schema(system_a):
        report_rollup_refresh()
    old = many[0]
    with time_machine.travel(NOW + timedelta(days=2), tick=False), in_schema(system_a):
        ticket_update(actor=agent_a, ticket=old, changes={"assignee": admin_a}, tags=["late"])
        solved = Ticket.objects.filter(status=Status.SOLVED).exclude(pk=old.pk).first()
        assert solved is not None
        ticket_update(actor=agent_a, ticket=solved, changes={"status": Status.OPEN})
        report_rollup_refresh()
        _same(date(2026, 2, 1), date(2026, 3, 12), HANOI)
        # Again: nothing new, the same rows.
        before = list(ReportDay.objects.order_by("day", "dimension", "key").values_list("created"))
        report_rollup_refresh()
        assert (
            list(ReportDay.objects.order_by("day", "dimension", "key").values_list("created"))
            == before
        )


def test_a_change_of_zone_builds_the_rollup_again_and_until_then_the_page_reads_live(
    system_a, many
):
    with time_machine.travel(NOW, tick=False), in_schema(system_a):
        report_rollup_refresh()
        System.objects.filter(pk=system_a.pk).update(time_zone="America/New_York")
        system_a.time_zone = "America/New_York"
        york = ZoneInfo("America/New_York")
        period = live.Period(first=date(2026, 2, 1), last=date(2026, 3, 10), zone=york)
        assert selectors._split(period, today=date(2026, 3, 9)) is None
        report_rollup_refresh()
        assert ReportState.objects.get().zone == "America/New_York"
        _same(date(2026, 2, 1), date(2026, 3, 10), york)
        assert ReportTime.objects.exists()


@pytest.mark.parametrize("days", [1, 60, 365])
def test_the_page_from_the_rollup_costs_the_same_queries_for_a_day_or_a_year(
    system_a, agent_a, member_a, make_ticket, days, django_assert_max_num_queries
):
    start = at("2026-01-01T03:00")
    for i in range(0, days, max(days // 6, 1)):
        with time_machine.travel(start + timedelta(days=i), tick=False):
            make_ticket(agent_a, requester=member_a, assignee=agent_a, tags=[f"t{i}"])
    last = (start + timedelta(days=days - 1)).date()
    with time_machine.travel(start + timedelta(days=days - 1), tick=False):
        with in_schema(system_a):
            report_rollup_refresh()
        client = client_for(system_a, agent_a)
        client.get("/")
        with django_assert_max_num_queries(15):
            response = client.get(f"/reports/?start=2026-01-01&end={last}&by=tag")
    assert len(_rows(response.content.decode(), "created")) == days
