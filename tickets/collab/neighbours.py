"""The previous and next ticket in the list a person came from: the same visibility,
filters and sort as the list (``tickets.selectors``), found by keyset on the sort key.

From a ticket, the one before and the one after are each "the first row past this one's
sort key", walking the list's own index in one direction or the other: two LIMIT 1 scans
in one query, whatever the list's length, where an OFFSET would walk the list up to the
ticket. A searched list is ordered by rank among the SEARCH_WINDOW most recently updated
matches, as the list is; its neighbours come from those numbers, as bounded as the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.postgres.search import SearchRank
from django.db.models import Expression, F, OrderBy, Q, QuerySet, Subquery, Value

from accounts.models import User
from accounts.permissions import Perm, can
from tickets.models import Ticket
from tickets.selectors import SEARCH_WINDOW, SORTS, TicketFilters, _filtered, _query

UNIQUE = {"id", "number"}


@dataclass(frozen=True)
class Column:
    name: str
    descending: bool
    # Empty values sort last in the list's order (only "due": no due date goes last).
    nullable: bool = False

    def order(self, *, forward: bool) -> OrderBy:
        descending = self.descending == forward
        if self.nullable:
            # Nulls last going forward, so first going back.
            return OrderBy(
                F(self.name),
                descending=descending,
                **{"nulls_last" if forward else "nulls_first": True},
            )
        return OrderBy(F(self.name), descending=descending)

    def past(self, value: Any, *, forward: bool) -> Q | None:
        """Rows strictly beyond ``value`` on this column, in the walking direction."""
        up = self.descending != forward
        lookup = "gt" if up else "lt"
        if not self.nullable:
            return Q(**{f"{self.name}__{lookup}": value})
        if forward:
            if value is None:
                return None  # nothing comes after the empty values
            return Q(**{f"{self.name}__{lookup}": value}) | Q(**{f"{self.name}__isnull": True})
        if value is None:
            return Q(**{f"{self.name}__isnull": False})
        return Q(**{f"{self.name}__{lookup}": value})

    def same(self, value: Any) -> Q:
        if value is None:
            return Q(**{f"{self.name}__isnull": True})
        return Q(**{self.name: value})

    def bound(self, value: Any, *, forward: bool) -> Q | None:
        """This column's side of ``value`` inclusive: redundant with ``past`` but what lets
        PostgreSQL start its index scan at the ticket rather than at the list's top."""
        if self.nullable:
            return None
        up = self.descending != forward
        return Q(**{f"{self.name}__{'gte' if up else 'lte'}": value})


def sort_columns(sort: str) -> list[Column]:
    """The list's ORDER BY for ``sort`` (``tickets.selectors.SORTS``) as columns, ending
    with a unique one so that "past this ticket" is well defined."""
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
    return columns


def _beyond(columns: list[Column], ticket: Ticket, *, forward: bool) -> Q:
    clauses, equal = [], Q()
    for column in columns:
        value = getattr(ticket, column.name)
        past = column.past(value, forward=forward)
        if past is not None:
            clauses.append(equal & past)
        equal &= column.same(value)
    condition = reduce(or_, clauses) if clauses else Q(pk__in=[])
    bound = columns[0].bound(getattr(ticket, columns[0].name), forward=forward)
    return condition & bound if bound is not None else condition


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
    columns = sort_columns(filters.sort)
    listed = _listed(user, filters)
    sides = [
        listed.filter(_beyond(columns, ticket, forward=forward))
        .order_by(*(column.order(forward=forward) for column in columns))
        .annotate(side=Value("next" if forward else "previous"))
        .values_list("side", "number")[:1]
        for forward in (False, True)
    ]
    # Each side keeps its own ORDER BY ... LIMIT 1; the union itself needs no order.
    found = dict(sides[0].union(sides[1], all=True).order_by())
    return Neighbours(previous=found.get("previous"), next=found.get("next"))
