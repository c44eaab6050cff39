"""Mail that came back: recorded on the address, and on the ticket mail it was."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tickets.mail.models import MailRecipient, OutboundMessage
from tickets.mail.parsed import Bounce


@transaction.atomic
def bounce_record(*, bounce: Bounce) -> None:
    """Count a bounce on each failed address; enough permanent ones stop mail to it."""
    now = timezone.now()
    for address in bounce.recipients:
        recipient = MailRecipient.objects.filter(address__iexact=address).first()
        if recipient is None:
            recipient = MailRecipient.objects.create(address=address.lower())
        recipient.last_bounce_at = now
        recipient.last_bounce_reason = bounce.diagnostic[:2000]
        if bounce.permanent:
            recipient.bounces += 1
            if recipient.bounces >= settings.MAIL_BOUNCES_TO_STOP and recipient.stopped_at is None:
                recipient.stopped_at = now
        recipient.save()
    if bounce.original_message_id:
        OutboundMessage.objects.filter(message_id=bounce.original_message_id).update(
            status=OutboundMessage.Status.BOUNCED, error=bounce.diagnostic[:2000]
        )


def mail_stopped_to(address: str) -> bool:
    return MailRecipient.objects.filter(address__iexact=address, stopped_at__isnull=False).exists()
