"""Staff change any field; every change is in the history, with who and when."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.support.forms import form_values
from tests.support.tenancy import in_schema
from tickets.models import Category, Priority, Status, TicketEvent
from tickets.services import tickets as ticket_services


def test_the_sidebar_changes_fields_and_each_change_is_recorded(
    system_a, make_ticket, member_a, agent_a, agent_client
):
    with in_schema(system_a):
        billing = Category.objects.create(name="Billing")
    ticket = make_ticket(member_a)
    page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()
    shown = form_values(page, action=f"/tickets/{ticket.number}/fields/")

    response = agent_client.post(
        f"/tickets/{ticket.number}/fields/",
        {
            **shown,
            "subject": "Printer jammed (floor 3)",
            "status": "pending",
            "priority": "high",
            "assignee": agent_a.pk,
            "category": billing.pk,
            "tags": "hardware, printer",
            "due_on": "2026-12-24",
        },
    )

    assert response.status_code == 302
    with in_schema(system_a):
        ticket.refresh_from_db()
        changes = {
            e.field: (e.old_value, e.new_value, e.actor_id)
            for e in TicketEvent.objects.filter(ticket=ticket, kind="changed")
        }
    assert (ticket.status, ticket.priority, ticket.priority_rank) == (
        Status.PENDING,
        Priority.HIGH,
        2,
    )
    assert ticket.due_on == date(2026, 12, 24)
    assert changes["status"] == ("new", "pending", agent_a.pk)
    assert changes["priority"] == ("normal", "high", agent_a.pk)
    assert changes["assignee"] == ("—", "Arno Agent", agent_a.pk)
    assert changes["category"] == ("—", "Billing", agent_a.pk)
    assert changes["tags"] == ("—", "hardware, printer", agent_a.pk)
    assert changes["due_on"] == ("—", "2026-12-24", agent_a.pk)
    assert changes["subject"][1] == "Printer jammed (floor 3)"


def test_history_is_shown_on_the_timeline(system_a, make_ticket, member_a, agent_a, member_client):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={"priority": Priority.URGENT}
        )

    page = member_client.get(f"/tickets/{ticket.number}/").content.decode()

    assert "changed priority from <strong>Normal</strong> to <strong>Urgent</strong>" in page


def test_saving_unchanged_fields_records_nothing(system_a, make_ticket, member_a, agent_a):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        ticket_services.ticket_update(actor=agent_a, ticket=ticket, changes={"status": Status.NEW})
        assert not TicketEvent.objects.filter(kind="changed").exists()


def test_assigning_mails_the_new_assignee(
    system_a, make_ticket, member_a, agent_a, owner_a, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    mail.outbox.clear()
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_update(actor=owner_a, ticket=ticket, changes={"assignee": agent_a})
    assert [m.to for m in mail.outbox] == [[agent_a.email]]
    assert "Assigned to you" in mail.outbox[0].subject


def test_tickets_go_only_to_staff(system_a, make_ticket, member_a, other_member_a, agent_a):
    ticket = make_ticket(member_a)
    with in_schema(system_a), pytest.raises(ValidationError):
        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={"assignee": other_member_a}
        )


def test_a_bad_sidebar_form_says_what_is_wrong(system_a, make_ticket, member_a, agent_client):
    ticket = make_ticket(member_a)
    response = agent_client.post(
        f"/tickets/{ticket.number}/fields/", {"subject": "", "status": "bogus"}
    )
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_following_is_part_of_the_history(system_a, make_ticket, member_a, agent_a):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        ticket_services.ticket_follow(actor=agent_a, ticket=ticket, follow=True)
        ticket_services.ticket_follow(actor=agent_a, ticket=ticket, follow=True)  # no-op
        ticket_services.ticket_follow(actor=agent_a, ticket=ticket, follow=False)
        rows = list(
            TicketEvent.objects.filter(field="followers").values_list("old_value", "new_value")
        )
    assert rows == [("—", "+ Arno Agent"), ("- Arno Agent", "—")]
