"""Mail that does not arrive is recorded on its row and shown to staff on the ticket: a
send that fails for good, and the mail provider's bounce, rejection and complaint events."""

from __future__ import annotations

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from celery import current_app
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend

from servicedesk.tasks import send_email
from tests.mail.outbound_support import contact_ticket, reply
from tests.support.tenancy import client_for, in_schema
from tickets.mail.models import MailRecipient, OutboundMessage

pytestmark = pytest.mark.django_db


def _counting(tries: list, open_):
    def counted(self):
        tries.append(1)
        return open_(self)

    return counted


EVE = "eve@outside.example"
Status = OutboundMessage.Status


def test_a_send_that_fails_for_good_is_recorded_and_shown_to_staff_not_members(
    settings,
    monkeypatch,
    system_a,
    make_ticket,
    member_a,
    agent_a,
    django_capture_on_commit_callbacks,
):
    ticket = make_ticket(member_a)
    settings.MAILERS = {  # nothing listens there: every try is refused
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    # An eager task that propagates errors stops at its first retry; without propagation
    # Celery runs every retry at once, as a worker would over hours.
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)
    tries = []
    monkeypatch.setattr(
        "django.core.mail.backends.smtp.EmailBackend.open",
        _counting(tries, EmailBackend.open),
    )
    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    assert len(tries) == 1 + send_email.max_retries

    with in_schema(system_a):
        row = OutboundMessage.objects.get(to=member_a.email)
    assert row.status == Status.FAILED
    assert row.error.startswith("ConnectionRefusedError")
    assert row.sent_at is None

    staff_page = client_for(system_a, agent_a).get(f"/tickets/{ticket.number}/")
    assert staff_page.status_code == 200
    box = staff_page.content.decode()
    assert "Mail delivery" in box and "Not delivered" in box and "ConnectionRefusedError" in box
    member_page = client_for(system_a, member_a).get(f"/tickets/{ticket.number}/")
    assert member_page.status_code == 200
    assert "Mail delivery" not in member_page.content.decode()


def _sent_to_eve(system, agent, commit) -> OutboundMessage:
    ticket = contact_ticket(system, commit)
    reply(system, commit, actor=agent, ticket=ticket, body="Here it is.")
    with in_schema(system):
        return OutboundMessage.objects.get(to=EVE, kind="ticket_reply_contact")


def _event(system, row: OutboundMessage, event_type: str, **fields) -> None:
    event = AnymailTrackingEvent(
        event_type=event_type,
        message_id=f"esp-{row.pk}",
        recipient=row.to,
        metadata={"sd_system": str(system.pk), "sd_message_id": row.message_id},
        **fields,
    )
    tracking.send(sender=object, event=event, esp_name="TestESP")


def test_a_provider_bounce_marks_the_mail_and_counts_on_the_address(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    row = _sent_to_eve(system_a, agent_a, django_capture_on_commit_callbacks)
    assert row.status == Status.SENT

    _event(system_a, row, "bounced", reject_reason="bounced", mta_response="550 5.1.1 no user")

    with in_schema(system_a):
        row.refresh_from_db()
        recipient = MailRecipient.objects.get(address=EVE)
    assert row.status == Status.BOUNCED and "550 5.1.1" in row.error
    assert recipient.bounces == 1 and recipient.stopped_at is None
    with in_schema(system_a):
        number = row.ticket.number
    page = client_for(system_a, agent_a).get(f"/tickets/{number}/").content.decode()
    assert "Bounced" in page and EVE in page


def test_a_complaint_stops_mail_to_the_address_at_once(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    row = _sent_to_eve(system_a, agent_a, django_capture_on_commit_callbacks)

    _event(system_a, row, "complained")
    mail.outbox.clear()
    with in_schema(system_a):
        ticket = row.ticket
    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)

    with in_schema(system_a):
        assert MailRecipient.objects.get(address=EVE).stopped_at is not None
    assert [m for m in mail.outbox if m.to == [EVE]] == []


def test_a_rejection_and_a_delivery_are_recorded(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    row = _sent_to_eve(system_a, agent_a, django_capture_on_commit_callbacks)
    with in_schema(system_a):
        OutboundMessage.objects.filter(pk=row.pk).update(status=Status.QUEUED, sent_at=None)

    _event(system_a, row, "delivered")
    with in_schema(system_a):
        row.refresh_from_db()
    assert row.status == Status.SENT and row.sent_at is not None

    _event(system_a, row, "rejected", reject_reason="blocked", description="on suppression list")
    with in_schema(system_a):
        row.refresh_from_db()
    assert row.status == Status.BOUNCED and "suppression list" in row.error


def test_an_event_naming_another_system_changes_nothing_here(
    system_a, system_b, agent_a, django_capture_on_commit_callbacks
):
    row = _sent_to_eve(system_a, agent_a, django_capture_on_commit_callbacks)

    _event(system_b, row, "bounced", mta_response="550")  # A's Message-ID, B's id

    with in_schema(system_a):
        row.refresh_from_db()
        assert row.status == Status.SENT
        assert not MailRecipient.objects.exists()
    with in_schema(system_b):
        assert not MailRecipient.objects.exists()


def test_a_send_whose_worker_dies_every_time_is_recorded_as_not_delivered(
    system_a, make_ticket, member_a
):
    from tickets.mail import addresses

    ticket = make_ticket(member_a)
    with in_schema(system_a):
        row = OutboundMessage.objects.create(
            message_id=addresses.new_message_id(slug=system_a.slug),
            ticket=ticket,
            to=member_a.email,
            kind="ticket_reply",
        )
        # What the task base class calls once deliveries pass TASK_MAX_DELIVERIES.
        send_email.on_poisoned((), {"to": row.to, "headers": {"Message-ID": f"<{row.message_id}>"}})
        row.refresh_from_db()
    assert row.status == Status.FAILED
    assert "stopped the worker" in row.error
