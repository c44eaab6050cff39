"""Reads for tickets. One visibility rule, used by lists, search and detail alike:
staff see every ticket of the System; members see the ones they raised or follow."""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import chain
from pathlib import Path

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, Expression, F, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.permissions import Perm, can
from tenants.models import System
from tickets import search
from tickets.fields import selectors as custom_fields
from tickets.models import (
    PRIORITY_RANK,
    Attachment,
    Priority,
    Reply,
    Status,
    StatusCount,
    Ticket,
    TicketEvent,
)

PER_PAGE = 25
MAX_PAGE = 4000
# Narrow views count at most this many matches ("1,000+" beyond); searches rank this many.
COUNT_CAP = 1000
SEARCH_WINDOW = 1000
# The list's "breaching soon" filter: an SLA deadline within this.
SLA_SOON = timedelta(hours=1)
SLA_FILTERS = {"soon": _("Breaching within the hour"), "breached": _("Breached")}
SORT_LABELS = {
    "updated": _("Recently updated"),
    "oldest": _("Least recently updated"),
    "created": _("Newest"),
    "priority": _("Priority"),
    "due": _("Due date"),
    "sla": _("SLA time left"),
    "number": _("Number"),
}
SORTS = {
    "updated": ("-updated_at", "-id"),
    "oldest": ("updated_at", "id"),
    "created": ("-created_at", "-id"),
    "priority": ("-priority_rank", "-updated_at", "-id"),
    "due": (F("due_on").asc(nulls_last=True), "id"),
    "sla": (F("sla_due_at").asc(nulls_last=True), "id"),
    "number": ("-number",),
}


def visible_tickets(user: User) -> QuerySet[Ticket]:
    # Tickets in the trash are nobody's to see here: only the Trash page lists them.
    live = Ticket.objects.live()
    if can(user, Perm.TICKET_VIEW_ALL):
        return live
    if not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    # The followed ids first (a short list): "requester = me OR id IN (…)" then uses the
    # indexes, where an OR with a correlated EXISTS made PostgreSQL scan every ticket.
    followed = list(
        Ticket.followers.through.objects.filter(user_id=user.pk).values_list("ticket_id", flat=True)
    )
    if followed:
        return live.filter(Q(requester=user) | Q(pk__in=followed))
    return live.filter(requester=user)


def ticket_get_for_user(*, user: User, number: int) -> Ticket:
    """The ticket, or 404 when it doesn't exist or ``user`` may not see it."""
    ticket = (
        visible_tickets(user)
        .select_related(
            "requester",
            "contact",
            "assignee",
            "category",
            "merged_into",
            "description_edited_by",
            "sla",  # the staff sidebar's SLA box (tickets.sla)
        )
        .defer(
            "search_vector", "note_vector", "merged_into__search_vector", "merged_into__note_vector"
        )
        .filter(number=number)
        .first()
    )
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def attachment_get_for_user(*, user: User, number: int, attachment_id: int) -> Attachment:
    ticket = ticket_get_for_user(user=user, number=number)
    attachment = (
        Attachment.objects.live()
        .filter(pk=attachment_id, ticket=ticket)
        .select_related("reply")
        .first()
    )
    if attachment is None:
        raise Http404("No such file.")
    # A file on an internal note is as private as the note.
    if attachment.reply and attachment.reply.is_internal and not can(user, Perm.TICKET_VIEW_ALL):
        raise Http404("No such file.")
    return attachment


def removal_reason(*, attachment: Attachment) -> str:
    """Why the operator disabled this file (or the message or ticket it belongs to)."""
    if attachment.removed_reason:
        return attachment.removed_reason
    if attachment.reply is not None and attachment.reply.removed_reason:
        return attachment.reply.removed_reason
    if attachment.reply_id is None and attachment.ticket.removed_reason:
        return attachment.ticket.removed_reason
    return ""


# --- the list -----------------------------------------------------------------------------


@dataclass
class TicketFilters:
    statuses: list[str] = field(default_factory=list)
    priority: str = ""
    assignee: str = ""  # "me", "none" or an account id
    category: int | None = None
    tag: str = ""
    requester: int | None = None
    # A contact's tickets (the requester filter given a contact's address).
    contact: int | None = None
    created_from: date | None = None
    created_to: date | None = None
    q: str = ""
    sort: str = "updated"
    sla: str = ""  # "soon" (breaching within SLA_SOON) or "breached"
    # Custom fields: "cf_<key>=<value>" of the query string, by key (tickets.fields).
    custom: dict[str, str] = field(default_factory=dict)

    def without_status(self) -> TicketFilters:
        return TicketFilters(**{**self.__dict__, "statuses": []})

    @property
    def narrows(self) -> bool:
        """Anything but status and sort: the counts can't come from the status counters."""
        return any(
            (
                self.priority,
                self.assignee,
                self.category,
                self.tag,
                self.requester,
                self.contact,
                self.created_from,
                self.created_to,
                self.q,
                self.sla,
                self.custom,
            )
        )


@dataclass
class TicketRow:
    ticket: Ticket
    headline: SafeString | None = None


@dataclass
class TicketPage:
    rows: list[TicketRow]
    number: int
    total: int
    per_page: int
    status_counts: dict[str, int]
    # True when there were more matches than COUNT_CAP: then counts read "1,000+" and the
    # pages go on with "Next" rather than a last page number.
    capped: bool = False
    more: bool = False

    @property
    def total_all(self) -> int:
        return sum(self.status_counts.values())

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.more if self.capped else self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _filtered(user: User, filters: TicketFilters) -> QuerySet[Ticket]:
    tickets = visible_tickets(user)
    if filters.priority:
        # The indexed column (priority_rank), not the label.
        tickets = tickets.filter(priority_rank=PRIORITY_RANK[Priority(filters.priority)])
    if filters.assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    if filters.category:
        tickets = tickets.filter(category_id=filters.category)
    if filters.tag:
        tickets = tickets.filter(tags__name=filters.tag.lower())
    if filters.requester is not None:
        tickets = tickets.filter(requester_id=filters.requester)
    if filters.contact is not None:
        tickets = tickets.filter(contact_id=filters.contact)
    if filters.custom:
        tickets = tickets.filter(custom_fields.custom_filter(user=user, chosen=filters.custom))
    zone = timezone.get_current_timezone()
    if filters.created_from:
        tickets = tickets.filter(
            created_at__gte=datetime.combine(filters.created_from, time.min, zone)
        )
    if filters.created_to:
        tickets = tickets.filter(
            created_at__lte=datetime.combine(filters.created_to, time.max, zone)
        )
    if filters.sla and can(user, Perm.TICKET_VIEW_ALL):  # members see no SLA
        now = timezone.now()
        if filters.sla == "breached":
            tickets = tickets.filter(sla_due_at__lt=now)
        else:
            tickets = tickets.filter(sla_due_at__gte=now, sla_due_at__lt=now + SLA_SOON)
    return tickets


def _query(user: User, filters: TicketFilters) -> SearchQuery | None:
    raw = search.to_tsquery(filters.q)
    return SearchQuery(raw, search_type="raw", config=search.CONFIG) if raw else None


def ticket_matches(*, user: User, filters: TicketFilters) -> QuerySet[Ticket]:
    """Every ticket ``user`` sees that matches ``filters`` (searched words included), whatever
    its status: the list's counts per status and the saved views' counts read this."""
    tickets = _filtered(user, filters)
    query = _query(user, filters)
    if query is not None:
        matches = Q(search_vector=query)
        if can(user, Perm.TICKET_VIEW_ALL):
            matches |= Q(note_vector=query)
        tickets = tickets.filter(matches)
    return tickets


def _status_counts(
    user: User, filters: TicketFilters, base: QuerySet[Ticket], staff: bool
) -> tuple[dict[str, int], bool]:
    """Counts per status and whether they were capped.

    Staff looking at everything read the counters the database keeps (StatusCount);
    narrower views count at most COUNT_CAP matching rows, so no count reads 100,000 rows.
    """
    if staff and not filters.narrows:
        counts = dict(StatusCount.objects.values_list("status", "n"))
        return {status.value: int(counts.get(status.value, 0)) for status in Status}, False
    sample = list(base.order_by().values_list("status", flat=True)[: COUNT_CAP + 1])
    capped = len(sample) > COUNT_CAP
    counts = {status.value: 0 for status in Status}
    for status in sample[:COUNT_CAP]:
        counts[status] = counts.get(status, 0) + 1
    return counts, capped


def sort_for(*, user: User, sort: str) -> str:
    """The list's order as ``user`` gets it: an unknown sort is "updated", and SLA time left
    is staff's (members see no SLA). The list and previous/next on a ticket both read it."""
    if sort not in SORTS or (sort == "sla" and not can(user, Perm.TICKET_VIEW_ALL)):
        return "updated"
    return sort


def ticket_page(*, user: User, filters: TicketFilters, page: int = 1) -> TicketPage:
    """One page of tickets: filtered, searched, sorted; with counts per status.

    A handful of queries whatever the size: the counts (kept counters, or a capped count),
    the ids of the page (a narrow index scan, also for deep pages), the rows themselves.
    A search ranks the SEARCH_WINDOW most recently updated matches, so a word found in
    every other ticket costs what a rare one does.
    """
    query = _query(user, filters)
    staff = can(user, Perm.TICKET_VIEW_ALL)
    base = ticket_matches(user=user, filters=filters)

    status_counts, capped = _status_counts(user, filters, base, staff)
    statuses = [s for s in filters.statuses if s in status_counts]
    listed = base.filter(status__in=statuses) if statuses else base
    total = sum(status_counts[s] for s in statuses) if statuses else sum(status_counts.values())
    if capped and statuses:
        # The sample may hold too few of the chosen statuses to say anything: count those.
        sample = list(listed.order_by().values_list("id", flat=True)[: COUNT_CAP + 1])
        total, capped = min(len(sample), COUNT_CAP), len(sample) > COUNT_CAP

    per_page = PER_PAGE
    last = MAX_PAGE if capped else max(1, math.ceil(total / per_page))
    number = max(1, min(page, MAX_PAGE, last))
    offset = (number - 1) * per_page
    if query is not None:
        recent = listed.order_by("-updated_at", "-id").values("id")[:SEARCH_WINDOW]
        rank: Expression = SearchRank(F("search_vector"), query)
        if staff:
            rank = rank + SearchRank(F("note_vector"), query) * 0.5
        ordered: QuerySet[Ticket] = (
            Ticket.objects.filter(pk__in=Subquery(recent))
            .annotate(rank=rank)
            .order_by("-rank", "-updated_at", "-id")
        )
    else:
        ordered = listed.order_by(*SORTS[sort_for(user=user, sort=filters.sort)])
    ids = list(ordered.values_list("id", flat=True)[offset : offset + per_page + 1])
    more, ids = len(ids) > per_page, ids[:per_page]

    if not ids:
        return TicketPage([], number, total, per_page, status_counts, capped, more)
    rows_by_id = {
        ticket.pk: ticket
        for ticket in Ticket.objects.filter(pk__in=ids)
        .select_related("requester", "contact", "assignee", "category")
        .prefetch_related("tags")
        .defer("description", "description_html", "search_vector", "note_vector")
        .annotate(**_headline(query))
    }
    rows = [
        TicketRow(rows_by_id[pk], _marked(getattr(rows_by_id[pk], "headline", None))) for pk in ids
    ]
    return TicketPage(rows, number, total, per_page, status_counts, capped, more)


# Markers no one types; the text between is escaped, then the markers become <mark>.
_START, _STOP = "\x02", "\x03"


def _headline(query: SearchQuery | None) -> dict:
    if query is None:
        return {}
    return {
        "headline": SearchHeadline(
            "description",
            query,
            config=search.CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    }


_MARKDOWN_NOISE = re.compile(r"[*_`#>~]{1,3}")


def _marked(text: str | None) -> SafeString | None:
    if text is None:
        return None
    text = _MARKDOWN_NOISE.sub("", text)  # a snippet reads as words, not as Markdown
    escaped = html.escape(text.replace(_START, "\ue000").replace(_STOP, "\ue001"))
    return mark_safe(escaped.replace("\ue000", "<mark>").replace("\ue001", "</mark>"))  # noqa: S308


def highlight(text: str, q: str) -> SafeString:
    """Mark the searched words in a short text (the subject) without a database trip."""
    escaped = html.escape(text)
    found = search.words(q)
    if not found:
        return mark_safe(escaped)  # noqa: S308 - escaped just above
    pattern = re.compile(
        "|".join(re.escape(word) for word in sorted(found, key=len, reverse=True)), re.IGNORECASE
    )
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))  # noqa: S308


# --- one ticket ---------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: datetime
    reply: Reply | None = None
    event: TicketEvent | None = None


def ticket_timeline(*, user: User, ticket: Ticket) -> list[TimelineEntry]:
    """Replies (notes only for staff), their files, and every change, in time order."""
    replies = ticket.replies.select_related(
        "author", "author_contact", "edited_by", "erased_by"
    ).prefetch_related(
        Prefetch(
            "attachments",
            # Deleted files too: their "deleted by" line keeps their place.
            queryset=Attachment.objects.shown().select_related("erased_by").order_by("id"),
        )
    )
    events = ticket.events.select_related("actor").exclude(kind=TicketEvent.Kind.ATTACHED)
    if not can(user, Perm.TICKET_VIEW_ALL):
        replies = replies.filter(is_internal=False)
        # Members see "edited" and "deleted by" on the messages themselves; who edited or
        # deleted what, notes included, is staff's history.
        events = events.exclude(kind__in=[TicketEvent.Kind.EDITED, TicketEvent.Kind.DELETED])
        # Nor changes of the custom fields only staff see.
        events = events.exclude(custom_fields.history_hidden())
    entries = chain(
        (TimelineEntry(at=r.created_at, reply=r) for r in replies),
        (TimelineEntry(at=e.created_at, event=e) for e in custom_fields.history_label(events)),
    )
    return sorted(entries, key=lambda entry: (entry.at, entry.event is not None))


def ticket_files(*, ticket: Ticket) -> list[Attachment]:
    """Files attached to the ticket itself (not to a reply), and the "deleted by" line of
    those deleted from it."""
    return list(
        ticket.attachments.shown()
        .filter(reply__isnull=True)
        .select_related("erased_by")
        .order_by("id")
    )


def staff_people() -> QuerySet[User]:

    return User.objects.filter(
        role__in=[Role.OWNER, Role.ADMIN, Role.AGENT], is_active=True
    ).order_by("full_name", "email")


def dashboard_counts(*, user: User) -> dict[str, int]:
    """The dashboard's numbers in one query (staff also get "mine" and "unassigned")."""
    active = Q(status__in=[Status.NEW, Status.OPEN, Status.PENDING])
    wanted = {"open": Count("id", filter=active)}
    if can(user, Perm.TICKET_WORK):
        waiting = Q(status__in=[Status.NEW, Status.OPEN], assignee__isnull=True)
        wanted["mine"] = Count("id", filter=active & Q(assignee=user))
        wanted["unassigned"] = Count("id", filter=waiting)
    active_tickets = visible_tickets(user).filter(
        status__in=[Status.NEW, Status.OPEN, Status.PENDING]
    )
    counts = active_tickets.aggregate(**wanted)
    return {key: int(counts.get(key) or 0) for key in ("open", "mine", "unassigned")}


def attachment_bytes(system: System) -> int:
    """Bytes of the System's files and their thumbnails (towards its storage quota)."""
    with schema_context(system.schema_name):
        files = Attachment.objects.aggregate(total=Sum("size"))["total"] or 0
        thumbnails = 0
        for attachment in (
            Attachment.objects.exclude(thumbnail="").exclude(thumbnail=None).only("thumbnail")
        ):
            path = Path(attachment.thumbnail.path)
            thumbnails += path.stat().st_size if path.exists() else 0
    return int(files) + thumbnails
