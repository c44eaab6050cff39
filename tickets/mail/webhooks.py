"""Inbound mail posted by a mail provider (Mailgun, Postmark, SendGrid, SES, … through
django-anymail's webhooks on the public host): delivered like mail from the SMTP receiver,
to each System one of its envelope recipients belongs to.

Only anymail's ``inbound`` signal is handled here; its delivery events (``tracking``) are
the outbound side's.
"""

from __future__ import annotations

import logging
from email.headerregistry import Address

from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent
from django.http import HttpRequest

from tickets.mail.models import InboundMessage
from tickets.mail.services.intake import inbound_deliver

log = logging.getLogger(__name__)


def raw_of(event: AnymailInboundEvent) -> bytes:
    """The message as the provider received it: its raw MIME when the payload carries it
    (Mailgun's body-mime, Postmark's RawEmail, SendGrid's email), else rebuilt by anymail
    from the parsed fields."""
    payload = event.esp_event
    text = None
    if isinstance(payload, dict):
        text = payload.get("RawEmail")
    elif isinstance(payload, HttpRequest):
        text = payload.POST.get("body-mime") or payload.POST.get("email")
    if text:
        return text.encode("utf-8", "surrogateescape")
    message: AnymailInboundMessage = event.message
    try:
        return message.as_bytes()
    except (UnicodeError, LookupError, ValueError):
        return message.as_string().encode("utf-8", "surrogateescape")


def recipients_of(message: AnymailInboundMessage) -> list[str]:
    """The envelope recipient when the provider tells it, else the To and Cc addresses."""
    if message.envelope_recipient:
        return [part.strip() for part in message.envelope_recipient.split(",") if part.strip()]
    found: list[Address] = [*message.to, *message.cc]
    return [address.addr_spec for address in found if address.addr_spec]


def on_inbound(sender, event: AnymailInboundEvent, esp_name: str, **kwargs) -> None:
    message = event.message
    if message is None:
        return
    recipients = recipients_of(message)
    stored = inbound_deliver(
        raw=raw_of(event),
        via=InboundMessage.Via.WEBHOOK,
        recipients=recipients,
        envelope_from=message.envelope_sender or "",
    )
    if not stored:
        # Nothing about the message itself: it belongs to nobody here.
        log.info("%s inbound mail for no System here: ignored", esp_name)
