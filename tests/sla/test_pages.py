"""The SLA pages: the settings page (admins), the ticket's box, the list's column, sort and
filter."""

from __future__ import annotations

from datetime import date, datetime, time

import time_machine

from accounts.models import AuditEvent
from tenants.models import System
from tests.sla.conftest import BERLIN
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.models import Category, Ticket
from tickets.services import tickets as ticket_services
from tickets.sla.models import BusinessHoliday, BusinessHours, SLAPolicy


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def test_the_settings_page_is_for_admins_only_and_not_for_another_system(
    system_a, system_b, admin_a, agent_a, user_b
):
    assert client_for(system_a, agent_a).get("/settings/sla/").status_code == 403
    assert client_for(system_a, agent_a).post("/settings/sla/hours/", {}).status_code == 403
    client = client_for(system_b, user_b)  # signed in at B, asking A's host
    for path in ("/settings/sla/", "/settings/sla/hours/"):
        response = client.get(path, HTTP_HOST=host_of(system_a))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_settings_page_shows_everything_in_a_fixed_number_of_queries(
    sla_a, admin_a, django_assert_max_num_queries
):
    client = client_for(sla_a, admin_a)
    client.get("/settings/sla/")
    with django_assert_max_num_queries(20) as few:
        response = client.get("/settings/sla/")
        page = response.content.decode()
        assert response.status_code == 200
        assert "Staff day" in page and 'value="2h"' in page and 'value="16h"' in page
        assert '<option value="Europe/Berlin" selected>' in page
    with in_schema(sla_a):
        for n in range(5):
            category = Category.objects.create(name=f"Area {n}")
            SLAPolicy.objects.create(priority="urgent", category=category, response_minutes=15)
            BusinessHoliday.objects.create(day=date(2027, 1, n + 1), name=f"Day {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/settings/sla/")
        assert "Area 4" in response.content.decode() and "Day 4" in response.content.decode()


def test_hours_are_saved_audited_and_recomputed(sla_a, admin_a, django_capture_on_commit_callbacks):
    client = client_for(sla_a, admin_a)
    data = {"time_zone": "America/New_York", "weekdays": ["0", "1", "2"], "opens": "08:00"}
    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/settings/sla/hours/", {**data, "closes": "16:30"})
    assert response.status_code == 302
    assert len(queued) == 1  # the recomputation of open tickets
    with in_schema(sla_a):
        hours = BusinessHours.objects.get()
        assert (hours.time_zone, hours.weekdays) == ("America/New_York", "012")
        assert (hours.opens, hours.closes) == (time(8), time(16, 30))
        assert AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED).exists()
    # One zone per System: the hours' zone is the System's.
    sla_a.refresh_from_db()
    assert sla_a.time_zone == "America/New_York"


def test_errors_keep_what_was_typed(sla_a, admin_a):
    client = client_for(sla_a, admin_a)
    response = client.post(
        "/settings/sla/hours/",
        {"time_zone": "Mars/Olympus", "weekdays": ["1"], "opens": "18:00", "closes": "09:00"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "is not a time zone we know" in page and 'value="18:00"' in page

    response = client.post(
        "/settings/sla/hours/",
        {"time_zone": "UTC", "weekdays": ["1"]} | {"opens": "18:00", "closes": "09:00"},
    )
    assert response.status_code == 400 and "Close after you open" in response.content.decode()

    response = client.post(
        "/settings/sla/policies/", {"urgent_response": "soon", "high_resolution": "3h"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Write a time such as 30m" in page
    assert 'value="soon"' in page and 'value="3h"' in page

    response = client.post("/settings/sla/holidays/", {"day": "2026-12-07", "name": "Again"})
    assert response.status_code == 400 and "already a holiday" in response.content.decode()
    assert 'value="Again"' in response.content.decode()
    with in_schema(sla_a):
        assert BusinessHours.objects.get().time_zone == "Europe/Berlin"
        assert SLAPolicy.objects.get(priority="high").resolution_minutes == 480


def test_targets_and_holidays_are_added_and_removed(sla_a, admin_a):
    client = client_for(sla_a, admin_a)
    with in_schema(sla_a):
        billing = Category.objects.create(name="Billing")
    targets = {"urgent_response": "15m", "urgent_resolution": "1h 30m", "high_response": "2h"}
    assert client.post("/settings/sla/policies/", targets).status_code == 302
    category = {"category": billing.pk, "priority": "low", "response": "45", "resolution": ""}
    assert client.post("/settings/sla/policies/category/", category).status_code == 302
    assert (
        client.post("/settings/sla/holidays/", {"day": "2026-12-24", "name": "Eve"}).status_code
        == 302
    )
    with in_schema(sla_a):
        urgent = SLAPolicy.objects.get(priority="urgent", category=None)
        assert (urgent.response_minutes, urgent.resolution_minutes) == (15, 90)
        assert not SLAPolicy.objects.filter(priority="normal", category=None).exists()
        specific = SLAPolicy.objects.get(category=billing)
        eve = BusinessHoliday.objects.get(name="Eve")
    assert client.post(f"/settings/sla/policies/{specific.pk}/remove/").status_code == 302
    assert client.post(f"/settings/sla/holidays/{eve.pk}/remove/").status_code == 302
    with in_schema(sla_a):
        assert not SLAPolicy.objects.filter(category=billing).exists()
        assert not BusinessHoliday.objects.filter(name="Eve").exists()


def test_the_ticket_page_shows_each_target_to_staff_only(
    sla_a, member_a, agent_a, user_b, django_assert_max_num_queries
):
    with in_schema(sla_a), time_machine.travel(at(2026, 12, 1, 10, 0), tick=False):
        ticket = ticket_services.ticket_create(actor=member_a, subject="Disk", description="Full.")
    with time_machine.travel(at(2026, 12, 1, 13, 0), tick=False):
        agent = client_for(sla_a, agent_a)  # signed in "now": idle sessions end
        agent.get(f"/tickets/{ticket.number}/")
        # The box: its row with the ticket, + the zone; + the reply box's canned responses and
        # macros (tickets.responses, merged beside it); + the custom fields (tickets.fields);
        # + the satisfaction rating (tickets.satisfaction).
        with django_assert_max_num_queries(19):
            page = agent.get(f"/tickets/{ticket.number}/").content.decode()
        assert "First response" in page and "1 h left" in page
        assert "12/01/2026 2 p.m.</time>" in page and "Times in Europe/Berlin" in page
        member_page = client_for(sla_a, member_a).get(f"/tickets/{ticket.number}/")
        assert member_page.status_code == 200
        assert "First response" not in member_page.content.decode()
    with time_machine.travel(at(2026, 12, 1, 15, 0), tick=False):
        agent = client_for(sla_a, agent_a)
        assert "Overdue by 1 h" in agent.get(f"/tickets/{ticket.number}/").content.decode()
    system_b = System.objects.get(slug="bravo")
    response = client_for(system_b, user_b).get(
        f"/tickets/{ticket.number}/", HTTP_HOST=host_of(sla_a)
    )
    assert response.status_code == 302


def _tickets(system, member, agent, count: int, start: int) -> None:
    with in_schema(system):
        for n in range(start, start + count):
            with time_machine.travel(at(2026, 12, 1, 9, n % 60), tick=False):
                ticket_services.ticket_create(
                    actor=agent, requester=member, subject=f"Load {n} sla", description="x"
                )


def test_the_list_sorts_and_filters_by_sla_in_a_fixed_number_of_queries(
    sla_a, member_a, agent_a, django_assert_max_num_queries
):
    _tickets(sla_a, member_a, agent_a, 3, 0)
    with in_schema(sla_a):
        ruled_out = ticket_services.ticket_create(
            actor=agent_a,
            requester=member_a,
            subject="No SLA here",
            description="x",
            priority="low",
        )
    counts = {}
    now = datetime(2026, 12, 1, 13, 1, 30, tzinfo=BERLIN)  # due 13:00, 13:01 and 13:02
    with time_machine.travel(now, tick=False):
        agent = client_for(sla_a, agent_a)  # signed in "now": idle sessions end
        for label, params in {
            "sorted": {"sort": "sla"},
            "soon": {"sla": "soon"},
            "breached": {"sla": "breached"},
        }.items():
            agent.get("/tickets/", params)
            # (the saved views' sidebar, the macros and custom fields the list offers)
            with django_assert_max_num_queries(16) as captured:
                response = agent.get("/tickets/", params)
                page = response.content.decode()
                assert response.status_code == 200, label
            counts[label] = len(captured.captured_queries)
            if label == "sorted":
                assert page.index("Load 0 sla") < page.index("Load 2 sla") < page.index("No SLA")
                assert "1 min over" in page and "under a minute left" in page
                assert '<th scope="col">SLA</th>' in page
            elif label == "soon":
                assert "Load 2 sla" in page and "Load 1 sla" not in page
                assert "No SLA here" not in page
            else:
                assert "Load 1 sla" in page and "Load 2 sla" not in page
    _tickets(sla_a, member_a, agent_a, 20, 3)
    with time_machine.travel(at(2026, 12, 1, 14, 0), tick=False):
        agent = client_for(sla_a, agent_a)
        agent.get("/tickets/")
        for label, params in {
            "sorted": {"sort": "sla"},
            "soon": {"sla": "soon"},
            "breached": {"sla": "breached"},
        }.items():
            with django_assert_max_num_queries(counts[label]):
                response = agent.get("/tickets/", params)
                page = response.content.decode()
            if label == "breached":
                assert "Load 22 sla" in page and "No SLA here" not in page
                assert "over</time>" in page
    # Members see neither the column nor the filter's effect.
    with time_machine.travel(at(2026, 12, 1, 14, 0), tick=False):
        member = client_for(sla_a, member_a)
        member_page = member.get("/tickets/", {"sla": "breached"}).content.decode()
    assert "No SLA here" in member_page and '<th scope="col">SLA</th>' not in member_page
    assert ruled_out.sla_due_at is None
    with in_schema(sla_a):
        assert Ticket.objects.filter(sla_due_at__isnull=False).count() == 23
