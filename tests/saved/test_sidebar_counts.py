"""The sidebar of the ticket list: default views, shared and personal ones, live counts."""

import re
from datetime import time

import pytest

from tests.support.tenancy import client_for, host_of, in_schema
from tickets.models import SavedView
from tickets.services import tickets as ticket_services


def _counts(response) -> dict[str, str]:
    views = response.context["views"]
    links = [*views.defaults, *views.shared, *views.personal]
    return {link.name: str(link.count) for link in links}


def _views(system, owner, n):
    with in_schema(system):
        for i in range(n):
            SavedView.objects.create(
                name=f"Urgent {i}",
                owner=owner if i % 2 else None,
                query="priority=urgent" if i % 3 else f"q=mine&tag=vpn&assignee=me&page={i}",
                position=i,
            )


def test_the_default_views_count_what_they_say(agent_client, desk):
    response = agent_client.get("/tickets/")
    # No SLA policy here: nothing can breach.
    assert _counts(response) == {"Mine": "2", "Unassigned": "2", "All open": "5", "Breaching": "0"}
    sidebar = response.content.decode()
    assert re.search(
        r'href="/tickets/\?assignee=me&amp;status=new&amp;status=open&amp;'
        r'status=pending&amp;view=mine"',
        sidebar,
    )


def test_mine_is_each_persons_own(system_a, admin_a, desk):
    response = client_for(system_a, admin_a).get("/tickets/")
    assert _counts(response)["Mine"] == "1"


@pytest.mark.parametrize("views", [1, 5])
def test_counts_take_a_fixed_number_of_queries(
    system_a, agent_a, agent_client, desk, views, django_assert_num_queries
):
    _views(system_a, agent_a, views)
    agent_client.get("/tickets/")  # the session, the terms: what every page reads first
    with in_schema(system_a):
        SavedView.objects.update(name="Renamed")  # counts cached; names are read each time
    # Cached counts: the list as before (with the macros its bulk form offers), plus the
    # views and the generation, and the custom fields (filters and columns, one query).
    with django_assert_num_queries(16):
        response = agent_client.get("/tickets/")
        assert response.status_code == 200 and b"Renamed" in response.content
    with in_schema(system_a):
        ticket_services.ticket_update(
            actor=agent_a, ticket=desk["nobody"], changes={"priority": "urgent"}
        )
    # A ticket changed: one more query counts every view again, however many there are.
    with django_assert_num_queries(17):
        response = agent_client.get("/tickets/")
        assert response.status_code == 200 and b"Renamed" in response.content


def test_breaching_counts_the_tickets_whose_target_is_less_than_an_hour_away(
    system_a, agent_a, member_a, make_ticket
):
    from tickets.sla.models import BusinessHours, SLAPolicy

    with in_schema(system_a):
        # Round the clock, so that "an hour away" doesn't hang on when the test runs.
        BusinessHours.objects.create(
            time_zone="UTC", weekdays="0123456", opens=time(0), closes=time(23, 59)
        )
        SLAPolicy.objects.create(priority="urgent", response_minutes=30, resolution_minutes=600)
        SLAPolicy.objects.create(priority="normal", response_minutes=240, resolution_minutes=960)
    make_ticket(agent_a, subject="Server down", requester=member_a, priority="urgent")
    make_ticket(agent_a, subject="Printer", requester=member_a, priority="normal")

    response = client_for(system_a, agent_a).get("/tickets/")

    assert _counts(response)["Breaching"] == "1"
    opened = client_for(system_a, agent_a).get("/tickets/?view=breaching", follow=True)
    assert b"Server down" in opened.content and b"Printer" not in opened.content


def test_a_changed_ticket_changes_the_counts_on_the_next_page(
    system_a, agent_a, agent_client, desk
):
    assert _counts(agent_client.get("/tickets/"))["Unassigned"] == "2"
    with in_schema(system_a):
        ticket_services.ticket_update(
            actor=agent_a, ticket=desk["nobody"], changes={"assignee": agent_a}
        )
    counts = _counts(agent_client.get("/tickets/"))
    assert counts["Unassigned"] == "1" and counts["Mine"] == "3"
    with in_schema(system_a):
        ticket_services.ticket_close(actor=agent_a, ticket=desk["mine"])
    assert _counts(agent_client.get("/tickets/"))["Mine"] == "2"


def test_a_view_whose_filters_change_is_counted_afresh(system_a, agent_a, agent_client, desk):
    with in_schema(system_a):
        SavedView.objects.create(name="Urgent", owner=agent_a, query="priority=urgent")
    assert _counts(agent_client.get("/tickets/"))["Urgent"] == "1"
    with in_schema(system_a):
        SavedView.objects.filter(name="Urgent").update(query="priority=normal")
    assert _counts(agent_client.get("/tickets/"))["Urgent"] == "5"


def test_saved_views_count_their_own_filters_and_search(system_a, agent_a, agent_client, desk):
    with in_schema(system_a):
        SavedView.objects.create(name="VPN", owner=agent_a, query="tag=vpn")
        SavedView.objects.create(name="Said urgent", query="q=urgent&status=open")
        SavedView.objects.create(name="Everything solved", query="status=solved")
    counts = _counts(agent_client.get("/tickets/"))
    assert counts["VPN"] == "1" and counts["Said urgent"] == "1"
    assert counts["Everything solved"] == "1"


def test_the_open_view_is_marked_current(system_a, agent_client, desk):
    response = agent_client.get("/tickets/?view=unassigned")
    assert response.status_code == 302
    response = agent_client.get(response["Location"])
    html = response.content.decode()
    current = re.findall(
        r'<a class="nav-link[^"]*active"[^>]*aria-current="page"><span>([^<]+)', html
    )
    assert current == ["Unassigned"]
    assert {row.ticket.subject for row in response.context["page"].rows} == {
        "Nobody's new",
        "Nobody's pending",
    }
    # The same filters reached without the view's link mark it too.
    again = agent_client.get("/tickets/?status=open&status=new&status=pending&assignee=none")
    assert [link.name for link in again.context["views"].defaults if link.current] == ["Unassigned"]


def test_members_have_no_sidebar(system_a, member_a, desk):
    client = client_for(system_a, member_a)
    response = client.get("/tickets/")
    assert response.status_code == 200 and b'aria-label="Views"' not in response.content
    assert client.get("/tickets/?view=mine").status_code == 404


def test_counts_are_never_another_systems(system_a, system_b, agent_a, user_b, desk):
    response = client_for(system_b, user_b).get("/tickets/")
    assert _counts(response) == {"Mine": "0", "Unassigned": "0", "All open": "0", "Breaching": "0"}
    crossed = client_for(system_b, user_b).get("/tickets/?view=mine", HTTP_HOST=host_of(system_a))
    assert crossed.status_code == 302 and crossed["Location"].startswith("/accounts/login/")


def test_a_narrow_view_counts_up_to_the_cap(system_a, agent_a, agent_client, desk, monkeypatch):
    monkeypatch.setattr("tickets.saved.counts.COUNT_CAP", 2)
    with in_schema(system_a):
        SavedView.objects.create(name="Normal", owner=agent_a, query="priority=normal")
    counts = _counts(agent_client.get("/tickets/"))
    # Statuses alone read the kept counters, exact; a narrower view stops counting at the cap.
    assert counts["All open"] == "5" and counts["Normal"] == "2+"
    assert counts["Mine"] == "2"
