"""A list's query string as a saved view keeps it, and the views every agent has.

The list page owns its query string: its parser (``tickets.views.lists.filters_from``) is
passed in by whoever calls these, so that this package never imports the list page, which
imports it. Normalising keeps the keys that parser reads, drops empty values, the page and
the view, and sorts the keys: the same filters give the same string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Reads a list's query (tickets.views.lists.filters_from).
Parser = Callable[[QueryDict], Any]
NOT_FILTERS = frozenset({"page", "view"})


class _ReadKeys(QueryDict):
    """A QueryDict that remembers which keys were asked for."""

    def __init__(self, query_string: str) -> None:
        self.read: set[str] = set()
        super().__init__(query_string)
        self.read = set()  # building the dict asked too

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)


def query_parse[T](query: QueryDict | str, *, parse: Callable[[QueryDict], T]) -> tuple[T, str]:
    """What ``parse`` makes of ``query``, and the query normalised (one parse for both)."""
    probe = _ReadKeys(query if isinstance(query, str) else query.urlencode())
    parsed = parse(probe)
    keys = sorted(probe.read - NOT_FILTERS)
    # Several values of one key are a set (statuses): their order doesn't make another view.
    normalised = urlencode(
        [
            (key, value)
            for key in keys
            for value in sorted({value.strip() for value in probe.getlist(key)})
            if value
        ]
    )
    return parsed, normalised


def query_normalise(query: QueryDict | str, *, parse: Parser) -> str:
    return query_parse(query, parse=parse)[1]


@dataclass(frozen=True)
class DefaultView:
    """A view every agent has, first in the sidebar; not a row."""

    key: str  # its ?view= value
    name: str | Promise
    query: str


_ACTIVE = "status=new&status=open&status=pending"
DEFAULT_VIEWS = (
    DefaultView("mine", _("Mine"), f"assignee=me&{_ACTIVE}"),
    DefaultView("unassigned", _("Unassigned"), f"assignee=none&{_ACTIVE}"),
    DefaultView("open", _("All open"), _ACTIVE),
    # "sla" and sort=sla come with the SLA feature; until then the list ignores them.
    DefaultView("breaching", _("Breaching"), f"{_ACTIVE}&sla=soon&sort=sla"),
)
DEFAULT_BY_KEY = {view.key: view for view in DEFAULT_VIEWS}
