"""Helpers for mail tests: messages built with the standard library, delivered like the
receivers deliver them."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from tenants.models import System
from tickets.mail import addresses
from tickets.mail.services.intake import inbound_deliver


def support_of(system: System) -> str:
    return addresses.support_address(slug=system.slug)


def message(
    *,
    sender: str,
    to: str,
    subject: str = "The printer is on fire",
    body: str = "Please send help.\n",
    name: str = "",
    in_reply_to: str = "",
    headers: dict[str, str] | None = None,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
    message_id: str | None = None,
) -> bytes:
    mail = EmailMessage()
    mail["From"] = formataddr((name, sender)) if name else sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = message_id or make_msgid(domain="client.example")
    if in_reply_to:
        mail["In-Reply-To"] = f"<{in_reply_to}>"
        mail["References"] = f"<{in_reply_to}>"
    for key, value in (headers or {}).items():
        mail[key] = value
    mail.set_content(body)
    for filename, content, content_type in attachments:
        maintype, _, subtype = content_type.partition("/")
        mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(mail)


def deliver_now(raw: bytes, *, to: list[str], via: str = "smtp", sender: str = "") -> list:
    """Deliver as the SMTP receiver does (public schema)."""
    return inbound_deliver(raw=raw, via=via, recipients=to, envelope_from=sender)
