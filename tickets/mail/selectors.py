"""Reads of the mail channel: the incoming mail list, one message, contacts, which
messages of a ticket came by mail, and the ticket's mail that did not arrive."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import Perm, can
from accounts.services.invitations import pending_invitations
from tickets.mail.models import Contact, InboundMessage, OutboundMessage
from tickets.models import Ticket
from tickets.selectors import ticket_get_for_user

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PER_PAGE = 25
DELIVERY_PROBLEMS_SHOWN = 20
Status = InboundMessage.Status

# The inbox's tabs: a name, its label, and the statuses it shows (empty: all).
INBOX_TABS: dict[str, tuple[StrOrPromise, tuple[str, ...]]] = {
    "held": (_("Held"), (Status.HELD,)),
    "failed": (_("Failed"), (Status.FAILED,)),
    "tickets": (_("Tickets and replies"), (Status.TICKET, Status.REPLY)),
    "ignored": (_("Ignored"), (Status.IGNORED, Status.BOUNCE, Status.DUPLICATE)),
    "other": (_("Other"), (Status.RECEIVED, Status.VERIFICATION, Status.DISCARDED)),
    "all": (_("All"), ()),
}


@dataclass(frozen=True)
class Tab:
    name: str
    label: str
    count: int
    current: bool


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboundMessage]
    tabs: list[Tab]
    tab: str
    number: int
    num_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def inbox_page(*, tab: str, page: int) -> InboxPage:
    """One page of received mail, newest first; the tabs' counts from one grouped query."""
    tab = tab if tab in INBOX_TABS else "all"
    by_status = dict(
        InboundMessage.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    tabs = []
    for name, (label, statuses) in INBOX_TABS.items():
        count = sum(n for status, n in by_status.items() if not statuses or status in statuses)
        tabs.append(Tab(name, str(label), count, name == tab))
    statuses = INBOX_TABS[tab][1]
    total = next(t.count for t in tabs if t.name == tab)
    num_pages = max(1, math.ceil(total / PER_PAGE))
    number = max(1, min(page, num_pages))
    rows = InboundMessage.objects.annotate(ticket_number=F("ticket__number")).only(
        "id", "from_address", "from_name", "subject", "status", "reason", "received_at", "via"
    )
    if statuses:
        rows = rows.filter(status__in=statuses)
    offset = (number - 1) * PER_PAGE
    return InboxPage(
        rows=list(rows.order_by("-received_at", "-id")[offset : offset + PER_PAGE]),
        tabs=tabs,
        tab=tab,
        number=number,
        num_pages=num_pages,
    )


def inbound_get(*, message_pk: int) -> InboundMessage:
    """One received message for an admin (the view checks Perm.MANAGE_MAIL)."""
    row = (
        InboundMessage.objects.annotate(
            ticket_number=F("ticket__number"),
            ticket_removed=F("ticket__removed_reason"),
            reply_removed=F("reply__removed_reason"),
        )
        .select_related("handled_by")
        .filter(pk=message_pk)
        .first()
    )
    if row is None:
        raise Http404("No such message.")
    # What the operator removed (prohibited content) stays out of sight here too: its
    # original holds the same words.
    row.removed_by_operator = bool(row.ticket_removed or row.reply_removed)  # type: ignore[attr-defined]
    return row


def inbound_get_for_ticket(*, user: User, number: int, message_pk: int) -> InboundMessage:
    """A message that became ticket ``number`` or one of its replies, for whoever may see
    the ticket and the message it became (404 otherwise)."""
    ticket = ticket_get_for_user(user=user, number=number)
    row = (
        InboundMessage.objects.select_related("reply")
        .filter(
            pk=message_pk,
            ticket=ticket,
            status__in=(Status.TICKET, Status.REPLY),
            duplicate_of__isnull=True,
        )
        .first()
    )
    if row is None:
        raise Http404("No such message.")
    # What the ticket page hides (a deleted message, one the operator removed, a note from
    # members) its original hides too.
    reply = row.reply
    if reply is not None:
        hidden = reply.erased_at is not None or bool(reply.removed_reason)
        hidden = hidden or (reply.is_internal and not can(user, Perm.TICKET_VIEW_ALL))
    else:
        hidden = row.status != Status.TICKET or bool(ticket.removed_reason)
    if hidden:
        raise Http404("No such message.")
    row.ticket = ticket
    return row


@dataclass(frozen=True)
class MailOrigins:
    """Which messages of one ticket came by mail: the description's and each reply's."""

    description: int | None
    replies: dict[int, int]


def mail_origins(*, ticket: Ticket, by_mail: bool, reply_ids: list[int]) -> MailOrigins:
    """One query, and none when nothing on the ticket came by mail."""
    if not by_mail and not reply_ids:
        return MailOrigins(None, {})
    description, replies = None, {}
    for pk, status, reply_id in InboundMessage.objects.filter(
        ticket=ticket, status__in=(Status.TICKET, Status.REPLY), duplicate_of__isnull=True
    ).values_list("pk", "status", "reply_id"):
        if status == Status.TICKET:
            description = pk
        elif reply_id is not None and reply_id in reply_ids:
            replies[reply_id] = pk
    return MailOrigins(description, replies)


@dataclass(frozen=True)
class ContactsPage:
    rows: Sequence[Contact]
    q: str
    number: int
    num_pages: int
    total: int
    invited: set[str]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def contacts_page(*, q: str, page: int) -> ContactsPage:
    """Contacts matching ``q`` (email or name), with their number of tickets; and which of
    them have an invitation pending."""
    contacts: QuerySet[Contact] = Contact.objects.all()
    q = q.strip()[:200]
    if q:
        contacts = contacts.filter(email__icontains=q) | contacts.filter(name__icontains=q)
    total = contacts.count()
    num_pages = max(1, math.ceil(total / PER_PAGE))
    number = max(1, min(page, num_pages))
    offset = (number - 1) * PER_PAGE
    rows = list(
        contacts.select_related("person")
        .annotate(ticket_count=Count("tickets", filter=Q(tickets__deleted_at__isnull=True)))
        .order_by("email", "id")[offset : offset + PER_PAGE]
    )
    invited: set[str] = set()
    emails = [c.email.lower() for c in rows if c.person_id is None]
    if emails:
        invited = set(
            pending_invitations().filter(email__in=emails).values_list("email", flat=True)
        )
    return ContactsPage(rows, q, number, num_pages, total, invited)


def ticket_delivery_problems(*, ticket: Ticket) -> list[OutboundMessage]:
    """Mail about ``ticket`` that did not arrive, newest first (staff see them on the
    ticket). One query."""
    return list(
        OutboundMessage.objects.filter(
            ticket=ticket,
            status__in=(OutboundMessage.Status.FAILED, OutboundMessage.Status.BOUNCED),
        ).order_by("-created_at", "-id")[:DELIVERY_PROBLEMS_SHOWN]
    )
