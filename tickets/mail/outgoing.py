"""Ticket mail as it leaves: one message per recipient, threaded and answerable.

tickets.notifications decides who gets what; this module makes each message: our own
Message-ID (recorded as an OutboundMessage row before the mail is queued, so a reply threads
back and its delivery is recorded), In-Reply-To and References (the ticket's thread), a
Reply-To with the ticket's signed token, From the System's support address in the name of
whoever acted, the headers that keep auto-responders quiet, a "reply above this line"
marker and a one-click unsubscribe link.

It runs once the transaction commits: a ticket opened by mail is linked to its received
message only at the end of that transaction, and the acknowledgement must answer it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from email.headerregistry import Address

from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User
from servicedesk import mail
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import System
from tickets.mail import addresses
from tickets.mail.models import InboundMessage, MailRecipient, OutboundMessage
from tickets.mail.services.unsubscribe import unsubscribe_token
from tickets.mail.tracking import MESSAGE_ID_KEY, SYSTEM_KEY
from tickets.models import Reply, Ticket
from tickets.notifications import AUTO_GENERATED, Recipient

log = logging.getLogger(__name__)

# The English marker; each mail carries it in its reader's language (see _send_now).
MARKER = "##- Please type your reply above this line -##"
REFERENCES_MAX = 10


def ticket_mail_send(
    *,
    ticket: Ticket,
    recipients: Iterable[Recipient],
    actor: User | None = None,
    reply: Reply | None = None,
    auto_submitted: str = AUTO_GENERATED,
    once: bool = False,
    except_addresses: Iterable[str] = (),
    links: Callable[[System], Mapping[str, object]] | None = None,
) -> None:
    """Send ticket mail to ``recipients`` once the transaction commits (in this schema);
    tickets.notifications decides who they are.
    ``once``: not if this ticket already had mail of that template (the acknowledgement).
    ``links(system)``: more of the template's context, made as the mail leaves (signed
    links name the System)."""
    wanted = list(recipients)
    if not wanted or mail.silenced():  # silenced now (the demo's backdated work, say)
        return
    schema = current_schema()
    skip = {address.lower() for address in except_addresses if address}

    def run() -> None:
        with schema_context(schema):
            _send_now(
                ticket=ticket,
                recipients=wanted,
                actor=actor,
                reply=reply,
                auto_submitted=auto_submitted,
                once=once,
                skip=skip,
                links=links,
            )

    # Robust: the ticket or reply is saved whatever happens to its mail.
    transaction.on_commit(run, robust=True)


def _send_now(
    *,
    ticket: Ticket,
    recipients: list[Recipient],
    actor: User | None,
    reply: Reply | None,
    auto_submitted: str,
    once: bool,
    skip: set[str],
    links: Callable[[System], Mapping[str, object]] | None = None,
) -> None:
    if mail.silenced():
        return
    chosen = _deliverable(recipients, skip=skip)
    if once:
        done = set(
            OutboundMessage.objects.filter(
                ticket=ticket, kind__in={r.template for r in chosen}
            ).values_list("kind", flat=True)
        )
        chosen = [r for r in chosen if r.template not in done]
    if not chosen:
        return
    system = System.objects.get(schema_name=current_schema())
    thread = Thread.of(ticket)
    reply_to = addresses.ticket_reply_address(slug=system.slug, number=ticket.number)
    base = {
        "system": system,
        "ticket": ticket,
        "reply": reply,
        "ticket_url": tenant_selectors.system_url(system=system, path=f"/tickets/{ticket.number}/"),
        **(links(system) if links is not None else {}),
    }
    # The System itself as the connection's tenant (schema_context left a stand-in there):
    # for_reader takes a contact's language and zone from it.
    with tenant_context(system):
        for recipient in chosen:
            message_id = addresses.new_message_id(slug=system.slug)
            unsubscribe_url = tenant_selectors.system_url(
                system=system,
                path=reverse(
                    "mail_unsubscribe",
                    kwargs={
                        "token": unsubscribe_token(
                            system=system,
                            address=recipient.address,
                            kind=recipient.kind,
                            user_id=recipient.user_id,
                        )
                    },
                ),
            )
            context = {**base, "recipient_name": recipient.name, "unsubscribe_url": unsubscribe_url}
            # Each reader's own language and zone (a contact: the System's); mail.send records
            # the language for the footer the worker adds.
            with mail.for_reader(recipient.address):
                subject, text, html = mail.render(recipient.template, context)
                tag = f"[#{ticket.number}]"
                if tag not in subject:
                    subject = f"{tag} {subject}"
                # Translators: keep "##- " and " -##": replies are cut there.
                marker = _("##- Please type your reply above this line -##")
                in_reply_to, references = thread.for_recipient(recipient.address)
                headers = {
                    "Message-ID": f"<{message_id}>",
                    "Auto-Submitted": auto_submitted,
                    "X-Auto-Response-Suppress": "All",
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                }
                if in_reply_to:
                    headers["In-Reply-To"] = f"<{in_reply_to}>"
                    headers["References"] = " ".join(f"<{mid}>" for mid in references)
                OutboundMessage.objects.create(
                    message_id=message_id,
                    ticket=ticket,
                    reply=reply,
                    to=recipient.address,
                    kind=recipient.template,
                )
                mail.send(
                    to=recipient.address,
                    subject=subject,
                    text=f"{marker}\n\n{text.lstrip()}",
                    html=_html_with_marker(html, marker),
                    from_email=_from(system, actor),  # "… via …" in his language too
                    reply_to=reply_to,
                    headers=headers,
                    metadata={SYSTEM_KEY: str(system.pk), MESSAGE_ID_KEY: message_id},
                )
                thread.add(message_id, recipient.address)


def _deliverable(recipients: list[Recipient], *, skip: set[str]) -> list[Recipient]:
    """One mail per address; never to our own addresses, to whoever acted, or to an
    address mail stopped to (repeated bounces, a complaint, an unsubscribed contact)."""
    by_address: dict[str, Recipient] = {}
    for recipient in recipients:
        address = recipient.address.strip().lower()
        if not address or address in skip or addresses.slug_of(address) is not None:
            continue
        by_address.setdefault(address, recipient)
    if not by_address:
        return []
    stopped = set(
        MailRecipient.objects.annotate(lowered=Lower("address"))
        .filter(lowered__in=list(by_address), stopped_at__isnull=False)
        .values_list("lowered", flat=True)
    )
    return [r for address, r in by_address.items() if address not in stopped]


def _from(system: System, actor: User | None) -> str:
    name = system.name
    if actor is not None:
        name = _("%(person)s via %(system)s") % {
            "person": actor.get_full_name(),
            "system": system.name,
        }
    name = " ".join(name.split())[:120]
    address = addresses.support_address(slug=system.slug or "")
    return str(Address(display_name=name, addr_spec=address))


def _html_with_marker(html: str | None, marker: str) -> str:
    marker_html = (
        f'<div style="color:#9aa0a6;font-size:12px;margin-bottom:12px">{escape(marker)}</div>'
    )
    if html is None:
        return f"{marker_html}\n"
    lowered = html.lower()
    start = lowered.find("<body")
    if start != -1:
        end = html.find(">", start)
        if end != -1:
            return f"{html[: end + 1]}{marker_html}{html[end + 1 :]}"
    return f"{marker_html}{html}"


class Thread:
    """The Message-IDs of a ticket's mail, sent and received, oldest first: the first is
    the thread's root."""

    RECENT = 50

    def __init__(self, items: list[tuple[object, str, str]]) -> None:
        # (when, message_id, the address it went to or came from)
        self.items = sorted(items, key=lambda item: item[0])  # type: ignore[arg-type, return-value]

    @classmethod
    def of(cls, ticket: Ticket) -> Thread:
        sent = OutboundMessage.objects.filter(ticket=ticket).values_list(
            "created_at", "message_id", "to", "id"
        )
        received = (
            InboundMessage.objects.filter(ticket=ticket, duplicate_of__isnull=True)
            .exclude(message_id="")
            .values_list("received_at", "message_id", "from_address", "id")
        )
        # One query: the first and the latest of each side (PostgreSQL takes ordered,
        # limited parts in a UNION).
        parts = (
            sent.order_by("created_at", "id")[:1],
            sent.order_by("-created_at", "-id")[: cls.RECENT],
            received.order_by("received_at", "id")[:1],
            received.order_by("-received_at", "-id")[: cls.RECENT],
        )
        items: dict[str, tuple[object, str, str]] = {}
        for when, message_id, address, _pk in parts[0].union(*parts[1:], all=True):
            items[message_id] = (when, message_id, (address or "").lower())
        return cls(list(items.values()))

    def add(self, message_id: str, address: str) -> None:
        self.items.append((timezone.now(), message_id, address.lower()))

    def for_recipient(self, address: str) -> tuple[str, list[str]]:
        """(In-Reply-To, References) for a new mail to ``address``: it answers the last
        mail to or from him (else the root), and references the root and the latest."""
        if not self.items:
            return "", []
        ids = [message_id for _, message_id, _ in self.items]
        root = ids[0]
        address = address.lower()
        his = [message_id for _, message_id, other in self.items if other == address]
        parent = his[-1] if his else ids[-1]
        later = [mid for mid in ids[1:] if mid != parent][-(REFERENCES_MAX - 2) :]
        references = [root, *later]
        if parent != root:
            references.append(parent)
        return parent, references
