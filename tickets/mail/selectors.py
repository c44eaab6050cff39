"""Reads of the mail channel."""

from __future__ import annotations

from tickets.mail.models import OutboundMessage
from tickets.models import Ticket

DELIVERY_PROBLEMS_SHOWN = 20


def ticket_delivery_problems(*, ticket: Ticket) -> list[OutboundMessage]:
    """Mail about ``ticket`` that did not arrive, newest first (staff see them on the
    ticket). One query."""
    return list(
        OutboundMessage.objects.filter(
            ticket=ticket,
            status__in=(OutboundMessage.Status.FAILED, OutboundMessage.Status.BOUNCED),
        ).order_by("-created_at", "-id")[:DELIVERY_PROBLEMS_SHOWN]
    )
