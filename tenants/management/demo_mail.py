"""Mail for the demo System, received as real mail is: stored raw, then processed.

A member writes in (a ticket by mail), a stranger writes (held for review, as the default
rule says), another stranger's mail was let in by the admin (a ticket whose requester is a
contact, not a seat), and an out-of-office answer is ignored. The Email settings and
Incoming mail pages show each with its reason.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from django.db import transaction

from accounts.models import User
from tenants.management.demo_tickets import holding_mail
from tickets.mail import addresses
from tickets.mail.models import InboundMessage
from tickets.mail.services.intake import inbound_store
from tickets.mail.services.processing import inbound_process
from tickets.mail.services.review import inbound_release

_MAILS = (
    # (sender name, sender address, subject, body, extra headers, let in by the admin)
    (
        None,
        "member",
        "Laptop charger missing after the move",
        "Hi,\n\nsince we moved desks my laptop charger is gone. Is there a spare one?\n\n"
        "Thanks,\nMax",
        {},
        False,
    ),
    (
        "Lan Nguyễn",
        "lan.nguyen@customer.example",
        "Invoice 2026-114 shows the wrong VAT number",
        "Hello,\n\nour VAT number on invoice 2026-114 is wrong; could you send a corrected "
        "one?\n\nBest regards,\nLan Nguyễn",
        {},
        False,
    ),
    (
        "Peter Brandt",
        "peter.brandt@partner.example",
        "Access to the partner portal",
        "Good morning,\n\nwe can't sign in to the partner portal since yesterday. Could you "
        "have a look?\n\nPeter",
        {},
        True,
    ),
    (
        "Max Member",
        "member",
        "Out of office: Re: Printer on floor 3",
        "I am out of the office until Monday and will answer your mail then.",
        {"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"},
        False,
    ),
)


def mail_fill(*, slug: str, people: dict[str, User]) -> int:
    """Receive the demo mails once (nothing when the System has received mail already);
    returns how many were received."""
    if InboundMessage.objects.exists():
        return 0
    with holding_mail():  # as for the demo's tickets: backdated work is no news
        _receive(slug=slug, people=people)
    return len(_MAILS)


def _receive(*, slug: str, people: dict[str, User]) -> None:
    support = addresses.support_address(slug=slug)
    for name, sender, subject, body, headers, let_in in _MAILS:
        person = people.get(sender)
        message = EmailMessage()
        if person is not None:
            message["From"] = formataddr((person.get_full_name(), person.email))
        else:
            message["From"] = formataddr((name or "", sender))
        message["To"] = support
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="demo.example")
        for key, value in headers.items():
            message[key] = value
        message.set_content(body)
        with transaction.atomic():
            stored = inbound_store(raw=bytes(message), via="smtp", recipients=[support])
        row = inbound_process(message_pk=stored.message_pk)
        if let_in and row.status == InboundMessage.Status.HELD:
            inbound_release(actor=people["admin"], message_pk=row.pk)
