"""Helpers for the tests of mail we send about tickets."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from django.core import mail

from tests.support.tenancy import in_schema
from tickets.mail.models import Contact
from tickets.services.tickets import ticket_create, ticket_reply


def sent(to: str | None = None) -> list[EmailMessage]:
    """Mail in the outbox as a mail client receives it (MIME, all headers), optionally to
    one address."""
    found = []
    for message in mail.outbox:
        if to is None or message.to == [to]:
            parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            found.append(parsed)
    return found


def only(to: str) -> EmailMessage:
    messages = sent(to)
    assert len(messages) == 1, [m["Subject"] for m in sent()]
    return messages[0]


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def ids(header: str | None) -> list[str]:
    return [part.strip("<>") for part in (header or "").split()]


def contact_ticket(system, commit, *, email="eve@outside.example", name="Eve Nguyễn"):
    """A ticket a contact opened by mail (through the service the mail channel calls)."""
    with in_schema(system), commit(execute=True):
        contact = Contact.objects.create(email=email, name=name)
        return ticket_create(
            actor=None, contact=contact, subject="Invoice missing", description="Hi", via_mail=True
        )


def reply(system, commit, *, actor, ticket, body="We are on it.", **kwargs):
    with in_schema(system), commit(execute=True):
        return ticket_reply(actor=actor, ticket=ticket, body=body, **kwargs)
