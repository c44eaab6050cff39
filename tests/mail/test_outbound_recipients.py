"""Who gets ticket mail: the contact a ticket is with gets public replies and one
acknowledgement, never internal notes; nobody gets his own words back; an address mail
stopped to, or one of ours, gets nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from tests.mail.outbound_support import contact_ticket, only, parts, reply, sent
from tests.mail.support import support_of
from tests.support.tenancy import in_schema
from tickets import notifications
from tickets.mail.models import Contact, MailRecipient, OutboundMessage

pytestmark = pytest.mark.django_db
EVE = "eve@outside.example"


def test_a_contact_who_wrote_in_gets_one_acknowledgement_with_the_number(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = contact_ticket(system_a, django_capture_on_commit_callbacks)

    ack = only(EVE)
    assert f"[#{ticket.number}]" in ack["Subject"]
    assert ack["Auto-Submitted"] == "auto-replied"
    text, _ = parts(ack)
    assert f"ticket #{ticket.number}" in text and "Eve Nguyễn" in text
    assert len(sent(agent_a.email)) == 1  # staff hear of the new ticket

    mail.outbox.clear()
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        notifications.ticket_created(ticket=ticket, actor=None, via_mail=True)
    assert sent(EVE) == []  # at most once per ticket


def test_the_contact_gets_staff_replies_by_mail_and_never_internal_notes(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = contact_ticket(system_a, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    reply(
        system_a,
        django_capture_on_commit_callbacks,
        actor=agent_a,
        ticket=ticket,
        body="Secret: VIP customer",
        internal=True,
    )
    assert mail.outbox == []

    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket, body="Sent!")
    message = only(EVE)
    text, html = parts(message)
    assert "Sent!" in text and "Sent!" in html
    assert "VIP" not in text + html
    assert "Reply to this email" in text
    with in_schema(system_a):
        assert OutboundMessage.objects.filter(to=EVE, kind="ticket_reply_contact").count() == 1


def test_a_colleague_in_copy_who_wrote_on_the_ticket_gets_the_replies_too(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = contact_ticket(system_a, django_capture_on_commit_callbacks)
    with in_schema(system_a):
        colleague = Contact.objects.create(email="lan@outside.example", name="Lan")
    # Lan answered by mail (an admin let her message in: she was in copy).
    reply(
        system_a, django_capture_on_commit_callbacks, actor=None, contact=colleague, ticket=ticket
    )
    assert sent("lan@outside.example") == []  # never her own words
    mail.outbox.clear()

    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket, body="Done")

    assert "Done" in parts(only(EVE))[0]
    assert "Done" in parts(only("lan@outside.example"))[0]


def test_nobody_gets_mail_of_his_own_reply(system_a, agent_a, django_capture_on_commit_callbacks):
    ticket = contact_ticket(system_a, django_capture_on_commit_callbacks)
    with in_schema(system_a):
        ticket.followers.add(agent_a)
        eve = Contact.objects.get(email=EVE)
    mail.outbox.clear()

    reply(
        system_a,
        django_capture_on_commit_callbacks,
        actor=None,
        contact=eve,
        ticket=ticket,
        body="Any news?",
        via_mail=True,
    )

    assert sent(EVE) == []
    assert len(sent(agent_a.email)) == 1  # the follower hears of it


def test_an_address_mail_stopped_to_gets_nothing(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = contact_ticket(system_a, django_capture_on_commit_callbacks)
    with in_schema(system_a):
        MailRecipient.objects.create(address="EVE@outside.example", stopped_at=timezone.now())
    mail.outbox.clear()

    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket, body="Hi")

    assert mail.outbox == []
    with in_schema(system_a):
        assert not OutboundMessage.objects.filter(to=EVE, reply__isnull=False).exists()


def test_our_own_addresses_get_nothing(system_a, agent_a, django_capture_on_commit_callbacks):
    ours = support_of(system_a)
    ticket = contact_ticket(system_a, django_capture_on_commit_callbacks, email=ours)
    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket, body="Hi")

    assert sent(ours) == []
    with in_schema(system_a):
        assert not OutboundMessage.objects.filter(to=ours).exists()
