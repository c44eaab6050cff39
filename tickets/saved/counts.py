"""Live counts for many views: one query for all of them, cached until a ticket changes.

Each view's count is its own branch of one UNION ALL, so each can use its own index; a view
of statuses alone reads the counters the database keeps (StatusCount), the others count at
most COUNT_CAP matches, as the list's tabs do ("1,000+" beyond). Counts are cached per
System (the schema is in the key), per query string, and per person for views that say
"me". The key also holds a generation number that a trigger on the ticket tables bumps on
every write (migration 0013), so the next page after any change counts again, whoever
wrote: services, mail, imports, restores.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import QueryDict

from accounts.models import User
from accounts.permissions import Perm, can
from servicedesk.schema import current_schema
from tickets.models import Status, StatusCount
from tickets.saved.query import Parser
from tickets.selectors import COUNT_CAP, TicketFilters, ticket_matches

GENERATION_SEQUENCE = "tickets_saved_generation"
# The sequence moves when the write is made, not when it commits: a page that counts between
# the two caches the old numbers under the new generation, until the next write or this.
CACHE_SECONDS = 60


@dataclass(frozen=True)
class ViewCount:
    n: int
    capped: bool = False  # more than COUNT_CAP: reads "1,000+"

    def __str__(self) -> str:
        return f"{self.n:,}+" if self.capped else f"{self.n:,}"


def _generation() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {GENERATION_SEQUENCE}")  # noqa: S608 - a constant
        return int(cursor.fetchone()[0])


def _cache_key(generation: int, user: User, query: str) -> str:
    mine = QueryDict(query).get("assignee") == "me"
    scope = f"u{user.pk}" if mine or not can(user, Perm.TICKET_VIEW_ALL) else "all"
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"saved:count:{current_schema()}:{generation}:{scope}:{digest}"


def view_counts(*, user: User, queries: Sequence[str], parse: Parser) -> dict[str, ViewCount]:
    """The number of tickets each query string matches for ``user``: one query for the
    generation, one for those not cached (none when all are)."""
    unique = list(dict.fromkeys(queries))
    if not unique:
        return {}
    generation = _generation()
    keys = {query: _cache_key(generation, user, query) for query in unique}
    cached = cache.get_many(list(keys.values()))
    counts = {query: ViewCount(*cached[key]) for query, key in keys.items() if key in cached}
    missing = [query for query in unique if query not in counts]
    if missing:
        fresh = _count(user, [parse(QueryDict(query)) for query in missing])
        counts.update(zip(missing, fresh, strict=True))
        cache.set_many(
            {keys[query]: (c.n, c.capped) for query, c in zip(missing, fresh, strict=True)},
            CACHE_SECONDS,
        )
    return counts


def _count(user: User, many: list[TicketFilters]) -> list[ViewCount]:
    staff = can(user, Perm.TICKET_VIEW_ALL)
    parts: list[str] = []
    params: list[Any] = []
    exact: set[int] = set()
    for index, filters in enumerate(many):
        statuses = [s for s in filters.statuses if s in Status.values]
        if staff and not filters.narrows:
            exact.add(index)
            counters = StatusCount._meta.db_table
            # Only integers and the ORM's own SQL go into the text; values are parameters.
            sql = f"SELECT {index} AS i, COALESCE(SUM(n), 0) AS n FROM {counters}"  # noqa: S608
            if statuses:
                sql += " WHERE status = ANY(%s)"
                params.append(statuses)
        else:
            matching = ticket_matches(user=user, filters=filters)
            if statuses:
                matching = matching.filter(status__in=statuses)
            inner, inner_params = (
                matching.order_by().values("id")[: COUNT_CAP + 1].query.sql_with_params()
            )
            sql = f"SELECT {index} AS i, COUNT(*) AS n FROM ({inner}) AS v{index}"  # noqa: S608
            params.extend(inner_params)
        parts.append(f"({sql})")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        found = dict(cursor.fetchall())
    counts = []
    for index in range(len(many)):
        n = int(found.get(index, 0))
        if index in exact or n <= COUNT_CAP:
            counts.append(ViewCount(n))
        else:
            counts.append(ViewCount(COUNT_CAP, capped=True))
    return counts
