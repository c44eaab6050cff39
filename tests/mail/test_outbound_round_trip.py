"""Answering a notification from any mail client lands on the ticket it was about."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.mail.outbound_support import ids, only, reply
from tests.mail.support import message, support_of
from tests.support.tenancy import in_schema
from tickets.mail.models import InboundMessage, MailSettings, OutboundMessage, WhoMayWrite
from tickets.models import Reply, Ticket

pytestmark = pytest.mark.django_db
EVE = "eve@outside.example"


def test_a_reply_to_a_notification_lands_on_its_ticket(
    deliver, system_a, agent_a, django_capture_on_commit_callbacks
):
    with in_schema(system_a):
        MailSettings.objects.create(who_may_write=WhoMayWrite.ANYONE)
    first = message(sender=EVE, to=support_of(system_a), subject="Where is my invoice?")
    deliver(first, to=[support_of(system_a)])
    with in_schema(system_a):
        ticket = Ticket.objects.get()
        received = InboundMessage.objects.get()
    ack = only(EVE)
    assert ids(ack["In-Reply-To"]) == [received.message_id]  # it answers her mail

    mail.outbox.clear()
    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket, body="Sent.")
    answer = only(EVE)
    assert received.message_id in ids(answer["References"])
    reply_to = answer["Reply-To"].addresses[0].addr_spec

    # Her client answers with our Message-ID and to our reply address.
    back = message(
        sender=EVE,
        to=reply_to,
        subject=f"Re: {answer['Subject']}",
        body="Got it, thanks!\n",
        in_reply_to=answer["Message-ID"].strip("<>"),
    )
    deliver(back, to=[reply_to])
    # And another one that kept only the reply address (no threading headers).
    deliver(
        message(sender=EVE, to=reply_to, subject="one more thing", body="Also a receipt.\n"),
        to=[reply_to],
    )

    with in_schema(system_a):
        assert Ticket.objects.count() == 1
        bodies = list(
            Reply.objects.filter(ticket=ticket, author_contact__email=EVE).values_list(
                "body", flat=True
            )
        )
        assert OutboundMessage.objects.filter(ticket=ticket, to=EVE).count() == 2
    assert len(bodies) == 2
    assert any("Got it, thanks" in body for body in bodies)
    assert any("Also a receipt" in body for body in bodies)
