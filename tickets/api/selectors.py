"""Reads for the tickets API: the list by keyset (the UI's filters, sort and search through
``tickets.selectors``), one ticket with its conversation, and their JSON shapes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
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

    def load(ids: list[int]) -> list[tuple[dict, list[str]]]:
        rows = {row["id"]: row for row in Ticket.objects.filter(pk__in=ids).values(*ROW_VALUES)}
        tags: dict[int, list[str]] = defaultdict(list)
        for ticket_id, name in Ticket.tags.through.objects.filter(ticket_id__in=ids).values_list(
            "ticket_id", "tag__name"
        ):
            tags[ticket_id].append(name)
        return [(rows[pk], sorted(tags[pk])) for pk in ids]

    return keyset_page(matches, keys=keys, cursor=cursor, limit=limit, load=load)


def ticket_etag(*, user: User, ticket: Ticket) -> str:
    """A ticket's version as ``user`` reads it: every change moves ``updated_at``."""
    return etag_for(
        "ticket", ticket.pk, ticket.updated_at.isoformat(), can(user, Perm.TICKET_VIEW_ALL)
    )


REPLY_VALUES = (
    "id",
    "author_id",
    "author__full_name",
    "author__email",
    "author_contact_id",
    "author_contact__name",
    "author_contact__email",
    "is_internal",
    "body",
    "body_html",
    "via_mail",
    "created_at",
    "edited_at",
    "erased_at",
    "removed_reason",
)


def visible_replies(*, user: User, ticket: Ticket) -> list[dict]:
    """The conversation as ``user`` may read it, as plain values, oldest first."""
    replies = Reply.objects.filter(ticket=ticket).order_by("created_at", "id")
    if not can(user, Perm.TICKET_VIEW_ALL):
        replies = replies.filter(is_internal=False)  # members never see internal notes
    return list(replies.values(*REPLY_VALUES))


def custom_keys(*, user: User) -> set[str]:
    """Keys of the custom fields ``user`` may see (archived ones keep their values)."""
    return {field.key for field in fields_for_user(user=user, archived=True)}


# --- shapes ----------------------------------------------------------------------------


# A list's rows as plain values: no model instances for 50 tickets and their people.
ROW_VALUES = (
    "id",
    "number",
    "subject",
    "status",
    "priority",
    "due_on",
    "created_at",
    "updated_at",
    "solved_at",
    "reply_count",
    "custom",
    "requester_id",
    "requester__full_name",
    "requester__email",
    "contact_id",
    "contact__name",
    "contact__email",
    "assignee_id",
    "assignee__full_name",
    "assignee__email",
    "category_id",
    "category__name",
    "merged_into__number",
)


@dataclass(frozen=True)
class Shaping:
    """What every ticket of one answer is shaped with: the reader's rights and fields."""

    staff: bool
    keys: set[str]  # custom fields the reader may see
    url_prefix: str  # the absolute URL of the tickets, "…/api/v1/tickets/"


def shaping_for(*, request: HttpRequest, user: User) -> Shaping:
    return Shaping(
        staff=can(user, Perm.TICKET_VIEW_ALL),
        keys=custom_keys(user=user),
        url_prefix=request.build_absolute_uri(reverse("api:ticket_list")) + "/",
    )


def _party(pk: int | None, name: str, email: str, *, staff: bool) -> dict:
    # People's and contacts' addresses are staff's to see, as on the pages.
    return {"id": pk, "name": name or email, "email": email if staff else None}


def ticket_values(ticket: Ticket) -> dict[str, object]:
    """A ticket (its relations loaded) as the values of a list row."""
    requester, contact, assignee = ticket.requester, ticket.contact, ticket.assignee
    return {
        **{field: getattr(ticket, field) for field in ROW_VALUES if "__" not in field},
        "requester__full_name": requester.full_name if requester else None,
        "requester__email": requester.email if requester else None,
        "contact__name": contact.name if contact else None,
        "contact__email": contact.email if contact else None,
        "assignee__full_name": assignee.full_name if assignee else None,
        "assignee__email": assignee.email if assignee else None,
        "category__name": ticket.category.name if ticket.category else None,
        "merged_into__number": ticket.merged_into.number if ticket.merged_into else None,
    }


def row_summary(row: dict, tags: list[str], shaping: Shaping) -> dict[str, object]:
    staff = shaping.staff
    requester = None
    if row["requester_id"] is not None:
        requester = _party(
            row["requester_id"], row["requester__full_name"], row["requester__email"], staff=staff
        )
    elif row["contact_id"] is not None:
        requester = _party(None, row["contact__name"], row["contact__email"], staff=staff)
    assignee = None
    if row["assignee_id"] is not None:
        assignee = _party(
            row["assignee_id"], row["assignee__full_name"], row["assignee__email"], staff=staff
        )
    category = None
    if row["category_id"] is not None:
        category = {"id": row["category_id"], "name": row["category__name"]}
    return {
        "number": row["number"],
        "url": f"{shaping.url_prefix}{row['number']}",
        "subject": row["subject"],
        "status": row["status"],
        "priority": row["priority"],
        "requester": requester,
        "assignee": assignee,
        "category": category,
        "tags": tags,
        "due_on": row["due_on"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "solved_at": row["solved_at"],
        "reply_count": row["reply_count"],
        "merged_into": row["merged_into__number"],
        "custom": {key: value for key, value in row["custom"].items() if key in shaping.keys},
    }


def reply_values(reply: Reply) -> dict[str, object]:
    """A reply just written (its author loaded) as the values ``visible_replies`` reads."""
    author, contact = reply.author, reply.author_contact
    return {
        **{field: getattr(reply, field) for field in REPLY_VALUES if "__" not in field},
        "author__full_name": author.full_name if author else None,
        "author__email": author.email if author else None,
        "author_contact__name": contact.name if contact else None,
        "author_contact__email": contact.email if contact else None,
    }


def reply_shape(row: dict, *, staff: bool) -> dict[str, object]:
    hidden = bool(row["erased_at"] or row["removed_reason"])
    author = None
    if row["author_id"] is not None:
        author = _party(
            row["author_id"], row["author__full_name"], row["author__email"], staff=staff
        )
    elif row["author_contact_id"] is not None:
        author = _party(
            None, row["author_contact__name"], row["author_contact__email"], staff=staff
        )
    return {
        "id": row["id"],
        "author": author,
        "internal": row["is_internal"],
        "body": "" if hidden else row["body"],
        "body_html": "" if hidden else row["body_html"],
        "via_mail": row["via_mail"],
        "created_at": row["created_at"],
        "edited_at": row["edited_at"],
        "deleted": row["erased_at"] is not None,
        "removed": bool(row["removed_reason"]),
    }


def ticket_detail(ticket: Ticket, *, request: HttpRequest, user: User) -> dict[str, object]:
    shaping = shaping_for(request=request, user=user)
    removed = bool(ticket.removed_reason)
    tags = sorted(tag.name for tag in ticket.tags.all())
    return {
        **row_summary(ticket_values(ticket), tags, shaping),
        "description": "" if removed else ticket.description,
        "description_html": "" if removed else ticket.description_html,
        "replies": [
            reply_shape(r, staff=shaping.staff) for r in visible_replies(user=user, ticket=ticket)
        ],
    }


def custom_changes(custom: Mapping[str, object]) -> dict[str, object]:
    """A PATCH's custom values as ``ticket_update`` changes (``cf_<key>``)."""
    return {f"{CUSTOM_PARAM}{key}": value for key, value in custom.items()}
