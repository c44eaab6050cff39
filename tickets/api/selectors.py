"""Reads for the tickets API: the list by keyset (the UI's filters, sort and search through
``tickets.selectors``), one ticket with its conversation, and their JSON shapes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from accounts.api.etags import etag_for
from accounts.api.pagination import Key, Page, keyset_page
from accounts.api.problems import validation_problem
from accounts.models import User
from accounts.permissions import Perm, can
from tickets.fields.models import PREFIX
from tickets.fields.selectors import fields_for_user
from tickets.models import Priority, Reply, Status, Ticket
from tickets.selectors import TicketFilters, sort_for, ticket_matches

# The UI's sorts (tickets.selectors.SORTS) as keysets: each ends on a unique column.
SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "updated": (Key("updated_at", descending=True), Key("id", descending=True)),
    "oldest": (Key("updated_at"), Key("id")),
    "created": (Key("created_at", descending=True), Key("id", descending=True)),
    "priority": (
        Key("priority_rank", descending=True),
        Key("updated_at", descending=True),
        Key("id", descending=True),
    ),
    "due": (Key("due_on", nullable=True), Key("id")),
    "sla": (Key("sla_due_at", nullable=True), Key("id")),
    "number": (Key("number", descending=True),),
}
CUSTOM_PARAM = PREFIX  # the list's custom filters, as the UI names them


def _date(query: QueryDict, name: str) -> date | None:
    raw = query.get(name, "").strip()
    if not raw:
        return None
    parsed = parse_date(raw)
    if parsed is None:
        raise validation_problem([{"field": name, "message": _("A date: YYYY-MM-DD.")}])
    return parsed


def _id(query: QueryDict, name: str) -> int | None:
    raw = query.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise validation_problem([{"field": name, "message": _("A number.")}])
    return int(raw)


def filters_from_query(query: QueryDict) -> TicketFilters:
    """The list's query string, with the UI's names: status (repeatable), priority,
    assignee (me, none or an id), category, tag, requester, contact, created_from,
    created_to, q, sort, sla, cf_<key>."""
    statuses = [s for s in query.getlist("status") if s]
    unknown = [s for s in statuses if s not in Status.values]
    errors = [
        {"field": "status", "message": _("Unknown status “%(s)s”.") % {"s": s}} for s in unknown
    ]
    priority = query.get("priority", "")
    if priority and priority not in Priority.values:
        errors.append({"field": "priority", "message": _("Unknown priority.")})
    sort = query.get("sort", "updated") or "updated"
    if sort not in SORT_KEYS:
        errors.append({"field": "sort", "message": _("Unknown sort.")})
    if errors:
        raise validation_problem(errors)
    return TicketFilters(
        statuses=statuses,
        priority=priority,
        assignee=query.get("assignee", ""),
        category=_id(query, "category"),
        tag=query.get("tag", ""),
        requester=_id(query, "requester"),
        contact=_id(query, "contact"),
        created_from=_date(query, "created_from"),
        created_to=_date(query, "created_to"),
        q=query.get("q", ""),
        sort=sort,
        sla=query.get("sla", ""),
        custom={
            name.removeprefix(CUSTOM_PARAM): query.get(name, "")
            for name in query
            if name.startswith(CUSTOM_PARAM) and query.get(name)
        },
    )


def ticket_api_page(*, user: User, filters: TicketFilters, cursor: str | None, limit: int) -> Page:
    """A page of the tickets ``user`` sees matching ``filters`` (searched words filter; the
    order is the chosen sort: relevance can't be walked by cursor). Queries: the person's
    followed tickets (members), the page's keys, its rows, their tags."""
    matches: QuerySet[Ticket] = ticket_matches(user=user, filters=filters)
    if filters.statuses:
        matches = matches.filter(status__in=filters.statuses)
    keys = SORT_KEYS[sort_for(user=user, sort=filters.sort)]

    def load(ids: list[int]) -> list[Ticket]:
        rows = {
            ticket.pk: ticket
            for ticket in Ticket.objects.filter(pk__in=ids)
            .select_related("requester", "contact", "assignee", "category", "merged_into")
            .prefetch_related("tags")
            .defer(
                "description",
                "description_html",
                "search_vector",
                "note_vector",
                "merged_into__description",
                "merged_into__description_html",
                "merged_into__search_vector",
                "merged_into__note_vector",
            )
        }
        return [rows[pk] for pk in ids]

    return keyset_page(matches, keys=keys, cursor=cursor, limit=limit, load=load)


def ticket_etag(*, user: User, ticket: Ticket) -> str:
    """A ticket's version as ``user`` reads it: every change moves ``updated_at``."""
    return etag_for(
        "ticket", ticket.pk, ticket.updated_at.isoformat(), can(user, Perm.TICKET_VIEW_ALL)
    )


def visible_replies(*, user: User, ticket: Ticket) -> list[Reply]:
    replies = ticket.replies.select_related("author", "author_contact").order_by("created_at", "id")
    if not can(user, Perm.TICKET_VIEW_ALL):
        replies = replies.filter(is_internal=False)  # members never see internal notes
    return list(replies)


def custom_keys(*, user: User) -> set[str]:
    """Keys of the custom fields ``user`` may see (archived ones keep their values)."""
    return {field.key for field in fields_for_user(user=user, archived=True)}


# --- shapes ----------------------------------------------------------------------------


def _person(user: User | None, *, show_email: bool) -> dict | None:
    if user is None:
        return None
    return {
        "id": user.pk,
        "name": user.get_full_name(),
        "email": user.email if show_email else None,
    }


def ticket_summary(
    ticket: Ticket, *, request: HttpRequest, user: User, keys: set[str]
) -> dict[str, object]:
    staff = can(user, Perm.TICKET_VIEW_ALL)
    requester = _person(ticket.requester, show_email=staff)
    if requester is None and ticket.contact is not None:
        contact = ticket.contact
        requester = {
            "id": None,
            "name": contact.get_full_name(),
            "email": contact.email if staff else None,
        }
    return {
        "number": ticket.number,
        "url": request.build_absolute_uri(
            reverse("api:ticket_read", kwargs={"number": ticket.number})
        ),
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "requester": requester,
        "assignee": _person(ticket.assignee, show_email=staff),
        "category": {"id": ticket.category.pk, "name": ticket.category.name}
        if ticket.category
        else None,
        "tags": sorted(tag.name for tag in ticket.tags.all()),
        "due_on": ticket.due_on,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "solved_at": ticket.solved_at,
        "reply_count": ticket.reply_count,
        "merged_into": ticket.merged_into.number if ticket.merged_into else None,
        "custom": {key: value for key, value in ticket.custom.items() if key in keys},
    }


def reply_shape(reply: Reply, *, staff: bool) -> dict[str, object]:
    hidden = bool(reply.erased_at or reply.removed_reason)
    author = _person(reply.author, show_email=staff)
    if author is None and reply.author_contact is not None:
        contact = reply.author_contact
        author = {
            "id": None,
            "name": contact.get_full_name(),
            "email": contact.email if staff else None,
        }
    return {
        "id": reply.pk,
        "author": author,
        "internal": reply.is_internal,
        "body": "" if hidden else reply.body,
        "body_html": "" if hidden else reply.body_html,
        "via_mail": reply.via_mail,
        "created_at": reply.created_at,
        "edited_at": reply.edited_at,
        "deleted": reply.erased_at is not None,
        "removed": bool(reply.removed_reason),
    }


def ticket_detail(
    ticket: Ticket, *, request: HttpRequest, user: User, keys: set[str] | None = None
) -> dict[str, object]:
    keys = custom_keys(user=user) if keys is None else keys
    staff = can(user, Perm.TICKET_VIEW_ALL)
    removed = bool(ticket.removed_reason)
    return {
        **ticket_summary(ticket, request=request, user=user, keys=keys),
        "description": "" if removed else ticket.description,
        "description_html": "" if removed else ticket.description_html,
        "replies": [reply_shape(r, staff=staff) for r in visible_replies(user=user, ticket=ticket)],
    }


def custom_changes(custom: Mapping[str, object]) -> dict[str, object]:
    """A PATCH's custom values as ``ticket_update`` changes (``cf_<key>``)."""
    return {f"{CUSTOM_PARAM}{key}": value for key, value in custom.items()}
