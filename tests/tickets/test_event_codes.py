"""The history keeps a status or priority as its code and shows it in the reader's words;
text stored by older versions (labels, free text) still reads as it was."""

from __future__ import annotations

from django.utils import translation

from tests.support.tenancy import in_schema
from tickets.event_values import event_code, event_codes_convert, event_label
from tickets.models import Priority, Status, TicketEvent
from tickets.services import tickets as ticket_services


def test_a_change_of_status_is_stored_as_codes_and_shown_as_labels(
    system_a, make_ticket, member_a, agent_a, member_client
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={"status": Status.PENDING}
        )
        event = TicketEvent.objects.get(ticket=ticket, field="status")
    assert (event.old_value, event.new_value) == ("new", "pending")

    page = member_client.get(f"/tickets/{ticket.number}/").content.decode()

    assert "changed status from <strong>New</strong> to <strong>Pending</strong>" in page


def test_old_labels_and_free_text_read_as_they_were(
    system_a, make_ticket, member_a, agent_a, member_client
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        TicketEvent.objects.create(
            ticket=ticket, actor=agent_a, field="status", old_value="Open", new_value="Later"
        )
    page = member_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "changed status from <strong>Open</strong> to <strong>Later</strong>" in page


def test_labels_become_codes_whatever_their_case_and_unknown_values_stay(
    system_a, make_ticket, member_a, agent_a
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        rows = [
            ("status", "Open", "SOLVED"),
            ("priority", " normal", "Urgent"),
            ("status", "—", "Someday"),
            ("subject", "Open", "High"),  # not a coded field: free text
        ]
        for field, old, new in rows:
            TicketEvent.objects.create(
                ticket=ticket, actor=agent_a, field=field, old_value=old, new_value=new
            )
        assert event_codes_convert() == 4
        stored = list(
            TicketEvent.objects.filter(ticket=ticket, kind="changed")
            .order_by("id")
            .values_list("field", "old_value", "new_value")
        )
        assert event_codes_convert() == 0  # again: nothing left to do
    assert stored == [
        ("status", "open", "solved"),
        ("priority", "normal", "urgent"),
        ("status", "—", "Someday"),
        ("subject", "Open", "High"),
    ]


def test_the_label_follows_the_readers_language():
    assert event_code("priority", "High") == Priority.HIGH
    assert event_label("status", "open") == str(Status.OPEN.label)
    assert event_label("assignee", "open") == "open"
    with translation.override("vi"):
        # Whatever the catalog holds, the label is looked up in the active language.
        assert event_label("status", "open") == str(Status("open").label)
