"""The previous and next ticket in the list a person came from: the same visibility,
filters and sort as the list (``tickets.selectors``), found by keyset on the sort key.

From a ticket, the one before and the one after are each "the first row past this one's
sort key" (a row comparison, ``(priority_rank, updated_at, id) < (…)``), walking the
list's own index in one direction or the other: LIMIT 1 scans in one query (a third for
the due date, whose undated tickets come last), whatever the list's length, where an
OFFSET would walk the list up to the ticket. A searched list is ordered by rank among the
SEARCH_WINDOW most recently updated matches, as the list is; its neighbours come from those
numbers, as bounded as the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import BooleanField, Expression, F, OrderBy, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL

from accounts.models import User
from accounts.permissions import Perm, can
from tickets.models import Ticket
from tickets.selectors import (
    SEARCH_WINDOW,
    SORTS,
    TicketFilters,
    _filtered,
    _query,
    sort_for,
)

UNIQUE = {"id", "number"}


@dataclass(frozen=True)
class Column:
    name: str
    descending: bool
    # Empty values sort last in the list's order (only "due": no due date goes last).
    nullable: bool = False

    def order(self, *, forward: bool) -> OrderBy:
        return OrderBy(F(self.name), descending=self.descending == forward)


def sort_columns(sort: str) -> list[Column]:
    """The list's ORDER BY for ``sort`` (``tickets.selectors.SORTS``) as columns, ending
    with a unique one so that "past this ticket" is well defined. One direction for all,
    and at most the first one nullable: what a row comparison on one index can walk."""
    columns = []
    for item in SORTS.get(sort, SORTS["updated"]):
        if isinstance(item, str):
            columns.append(Column(item.lstrip("-"), item.startswith("-")))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            nullable = bool(item.nulls_last)
            columns.append(Column(item.expression.name, item.descending, nullable))
        else:  # pragma: no cover - a new kind of sort must be taught here
            raise ValueError(f"Can't walk the sort {sort!r} by keyset")
    if columns[-1].name not in UNIQUE:
        columns.append(Column("id", columns[-1].descending))
    mixed = len({c.descending for c in columns}) > 1
    if mixed or any(c.nullable for c in columns[1:]):  # pragma: no cover - as above
        raise ValueError(f"Can't walk the sort {sort!r} by keyset")
    return columns


def _row(columns: list[Column], values: list[Any], operator: str) -> RawSQL:
    """``(a, b, c) > (x, y, z)``: PostgreSQL starts an index scan right there, where the
    same condition spelled out with ORs would read the index from its top."""
    quote = connection.ops.quote_name
    table = quote(Ticket._meta.db_table)
    names = ", ".join(f"{table}.{quote(Ticket._meta.get_field(c.name).column)}" for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"({names}) {operator} ({marks})"
    # Column names from the model, values as parameters: nothing typed reaches the SQL.
    return RawSQL(sql, values, output_field=BooleanField())  # noqa: S611


def _branches(
    listed: QuerySet[Ticket], columns: list[Column], ticket: Ticket, *, forward: bool
) -> list[QuerySet[Ticket]]:
    """The first row past ``ticket`` in one direction, as one or two LIMIT 1 scans (the
    second, when the first finds nothing: across from dated to undated tickets)."""
    values = [getattr(ticket, c.name) for c in columns]
    up = columns[0].descending != forward
    operator = ">" if up else "<"
    first = columns[0]
    order = [c.order(forward=forward) for c in columns]
    if not first.nullable:
        return [listed.filter(_row(columns, values, operator)).order_by(*order)]
    empty, rest, rest_values = Q(**{f"{first.name}__isnull": True}), columns[1:], values[1:]
    undated = listed.filter(empty).order_by(*order[1:])
    dated = listed.exclude(empty).order_by(*order)
    if values[0] is None:
        within = undated.filter(_row(rest, rest_values, operator))
        # Going back from the undated tickets reaches the dated ones; forward, nothing.
        return [within] if forward else [within, dated]
    within = dated.filter(_row(columns, values, operator))
    return [within, undated] if forward else [within]


@dataclass(frozen=True)
class Neighbours:
    previous: int | None = None  # ticket numbers
    next: int | None = None


def _listed(user: User, filters: TicketFilters) -> QuerySet[Ticket]:
    tickets = _filtered(user, filters)
    return tickets.filter(status__in=filters.statuses) if filters.statuses else tickets


def _searched(user: User, filters: TicketFilters, ticket: Ticket) -> Neighbours:
    query = _query(user, filters)
    staff = can(user, Perm.TICKET_VIEW_ALL)
    matches = Q(search_vector=query)
    if staff:
        matches |= Q(note_vector=query)
    recent = (_listed(user, filters).filter(matches).order_by("-updated_at", "-id").values("id"))[
        :SEARCH_WINDOW
    ]
    rank: Expression = SearchRank(F("search_vector"), query)
    if staff:
        rank = rank + SearchRank(F("note_vector"), query) * 0.5
    numbers = list(
        Ticket.objects.filter(pk__in=Subquery(recent))
        .annotate(rank=rank)
        .order_by("-rank", "-updated_at", "-id")
        .values_list("number", flat=True)
    )
    if ticket.number not in numbers:
        return Neighbours()
    at = numbers.index(ticket.number)
    return Neighbours(
        previous=numbers[at - 1] if at > 0 else None,
        next=numbers[at + 1] if at + 1 < len(numbers) else None,
    )


def ticket_neighbours(*, user: User, ticket: Ticket, filters: TicketFilters) -> Neighbours:
    """The tickets before and after ``ticket`` in ``user``'s list with ``filters`` (its
    sort included); ``ticket`` itself need not match them any more (changed since)."""
    if filters.q and _query(user, filters) is not None:
        return _searched(user, filters, ticket)
    columns = sort_columns(sort_for(user=user, sort=filters.sort))
    listed = _listed(user, filters)
    scans = [
        branch.annotate(side=Value(index if forward else -index - 1)).values_list("side", "number")[
            :1
        ]
        for forward in (False, True)
        for index, branch in enumerate(_branches(listed, columns, ticket, forward=forward))
    ]
    # Each scan keeps its own ORDER BY ... LIMIT 1; the union itself needs no order. Sides:
    # 0, 1 forward (the first that found one wins), -1, -2 backward.
    found = dict(scans[0].union(*scans[1:], all=True).order_by())
    following = [found[side] for side in (0, 1) if side in found]
    preceding = [found[side] for side in (-1, -2) if side in found]
    return Neighbours(
        previous=preceding[0] if preceding else None,
        next=following[0] if following else None,
    )
