"""Every message of the corpus reaches the outcome its manifest names: a ticket, a reply on
the right ticket, held, ignored, a bounce, failed or a duplicate, each with its reason.

(The same corpus goes through the real SMTP receiver into a real worker in
test_corpus_over_smtp.py; here each message is delivered in-process, one test per message.)
"""

from __future__ import annotations

import pytest

from tests.mail.corpus import BY_NAME, SAMPLES
from tests.mail.support import support_of
from tests.support.tenancy import in_schema
from tickets.mail import addresses
from tickets.mail.models import InboundMessage, OutboundMessage
from tickets.models import Reply, Ticket

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status

STATUS_OF = {
    "ticket": Status.TICKET,
    "reply": Status.REPLY,
    "held": Status.HELD,
    "ignored-auto": Status.IGNORED,
    "bounce": Status.BOUNCE,
    "failed": Status.FAILED,
    "duplicate": Status.DUPLICATE,
}


def corpus_values(*, system_a, member_a, user_b, ticket) -> dict[str, str]:
    """Placeholders filled with System A's real addresses, people and mail of ours."""
    with in_schema(system_a):
        sent = OutboundMessage.objects.create(
            message_id=addresses.new_message_id(slug=system_a.slug),
            ticket=ticket,
            to=member_a.email,
            kind="ticket_created",
        )
        bounced = OutboundMessage.objects.create(
            message_id=addresses.new_message_id(slug=system_a.slug),
            ticket=ticket,
            to="gone@nowhere.example",
            kind="ticket_reply",
        )
    return {
        "support": support_of(system_a),
        "person": member_a.email,
        "stranger": "someone@unknown-sender.example",
        "other_system_person": user_b.email,
        "ticket_message_id": sent.message_id,
        "ticket_number": str(ticket.number),
        "our_message_id": bounced.message_id,
    }


@pytest.mark.parametrize("sample", SAMPLES, ids=[sample.name for sample in SAMPLES])
def test_each_corpus_message_reaches_its_outcome(
    sample, deliver, system_a, member_a, user_b, make_ticket
):
    ticket = make_ticket(member_a)
    values = corpus_values(system_a=system_a, member_a=member_a, user_b=user_b, ticket=ticket)
    if sample.duplicate_of:
        first = BY_NAME[sample.duplicate_of]
        sender, to = first.envelope(values)
        deliver(first.raw(values), to=to, sender=sender)
    sender, to = sample.envelope(values)
    stored = deliver(sample.raw(values), to=to, sender=sender)
    assert len(stored) == 1
    with in_schema(system_a):
        row = InboundMessage.objects.get(pk=stored[0].message_pk)
        assert row.status == STATUS_OF[sample.outcome], f"{row.status}: {row.reason}"
        if sample.outcome in {"held", "ignored-auto", "bounce", "failed", "duplicate"}:
            assert row.reason, "a message not taken in says why"
        if sample.outcome == "reply":
            assert Reply.objects.get(pk=row.reply_id).ticket_id == ticket.pk
        if sample.outcome == "ticket":
            assert row.ticket_id != ticket.pk
            assert Ticket.objects.filter(pk=row.ticket_id).exists()
        if sample.outcome in {"held", "ignored-auto", "bounce", "failed"}:
            assert Ticket.objects.count() == 1, "no ticket but the one we made"
            assert not Reply.objects.exists()
        if sample.outcome == "bounce":
            bounced = OutboundMessage.objects.get(message_id=values["our_message_id"])
            assert bounced.status == OutboundMessage.Status.BOUNCED
