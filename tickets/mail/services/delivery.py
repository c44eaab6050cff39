"""What became of ticket mail we sent: recorded on its OutboundMessage row.

Two sources: the send task (through servicedesk.mail's delivery recorders) says it left or
failed for good; later, the mail provider's delivery events (anymail's ``tracking``
signal, tickets.mail.tracking) say it was delivered, bounced, rejected or complained about.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tickets.mail.models import MailRecipient, OutboundMessage
from tickets.mail.parsed import Bounce
from tickets.mail.services.bounces import bounce_record

Status = OutboundMessage.Status


def outbound_delivery_record(*, message_id: str, provider_id: str = "", error: str = "") -> None:
    """The send task's word on one mail (current schema): it left, or it never will."""
    rows = OutboundMessage.objects.filter(message_id=message_id)
    if error:
        rows.filter(status=Status.QUEUED).update(status=Status.FAILED, error=error[:2000])
    else:
        # A late success after a recorded failure still counts; a bounce already known stays.
        rows.filter(status__in=(Status.QUEUED, Status.FAILED)).update(
            status=Status.SENT, error="", provider_id=provider_id[:255], sent_at=timezone.now()
        )


# anymail's normalised event types.
PERMANENT = {"bounced", "rejected"}
NOT_SENT = {"failed"}
COMPLAINED = "complained"
DELIVERED = "delivered"


@transaction.atomic
def outbound_event_record(
    *, message_id: str, provider_id: str, event_type: str, recipient: str, reason: str
) -> OutboundMessage | None:
    """One delivery event of the mail provider about our mail (current schema). Found by our
    Message-ID (sent along as metadata) or else by the provider's id."""
    row = None
    if message_id:
        row = OutboundMessage.objects.select_for_update().filter(message_id=message_id).first()
    if row is None and provider_id:
        row = OutboundMessage.objects.select_for_update().filter(provider_id=provider_id).first()
    if row is None:
        return None
    address = (recipient or row.to).lower()
    reason = reason[:2000] or event_type
    if event_type == DELIVERED:
        if row.status in (Status.QUEUED, Status.FAILED):
            row.status, row.error = Status.SENT, ""
            row.sent_at = row.sent_at or timezone.now()
            row.save(update_fields=["status", "error", "sent_at"])
    elif event_type in PERMANENT:
        # bounce_record counts it on the address (enough of them stop mail to it) and marks
        # the row bounced.
        bounce_record(
            bounce=Bounce(
                recipients=(address,),
                permanent=True,
                diagnostic=reason,
                original_message_id=row.message_id,
            )
        )
    elif event_type in NOT_SENT:
        row.status, row.error = Status.FAILED, reason
        row.save(update_fields=["status", "error"])
    elif event_type == COMPLAINED:
        # He marked it as spam: mail to him stops at once, whatever the bounce count.
        recipient_row = MailRecipient.objects.filter(address__iexact=address).first()
        if recipient_row is None:
            recipient_row = MailRecipient.objects.create(address=address)
        if recipient_row.stopped_at is None:
            recipient_row.stopped_at = timezone.now()
            recipient_row.last_bounce_reason = f"Marked as spam: {reason}"[:2000]
            recipient_row.save(update_fields=["stopped_at", "last_bounce_reason"])
        row.status, row.error = Status.BOUNCED, f"Marked as spam by the recipient ({reason})"
        row.save(update_fields=["status", "error"])
    return row
