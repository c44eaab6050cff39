"""Cursor pagination by keyset: the cursor holds the last row's sort values, and the next
page starts strictly after them. Rows added or changed before the cursor never shift the
rest of the walk (no duplicates, no gaps), and a deep page costs what the first does.

A cursor is opaque to clients (base64url of JSON); a forged one only moves the start.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from accounts.api.problems import ApiProblem


@dataclass(frozen=True)
class Key:
    """One column of a keyset order: its field, its direction, and whether it may be null
    (nulls sort last, whatever the direction)."""

    field: str
    descending: bool = False
    nullable: bool = False

    @property
    def order(self) -> Any:
        expression = F(self.field)
        if self.descending:
            return expression.desc(nulls_last=True) if self.nullable else expression.desc()
        return expression.asc(nulls_last=True) if self.nullable else expression.asc()


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def _dump(value: object) -> object:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    return value


def _load(value: object) -> object:
    if isinstance(value, dict) and "dt" in value:
        return parse_datetime(str(value["dt"]))
    if isinstance(value, dict) and "d" in value:
        return parse_date(str(value["d"]))
    return value


def cursor_encode(values: Sequence[object]) -> str:
    raw = json.dumps([_dump(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str, size: int) -> list[object]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise ApiProblem(
            422,
            "invalid-cursor",
            title=_("The request is not valid."),
            detail=_("This cursor is not one we gave; start again without it."),
            errors=[{"field": "cursor", "message": _("Unknown cursor.")}],
        )
    return [_load(v) for v in values]


def _after(keys: Sequence[Key], values: Sequence[object]) -> Q:
    """Rows strictly after ``values`` in the order of ``keys`` (nulls last)."""
    condition = Q(pk__in=[])  # nothing
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        if value is None:
            beyond = Q(pk__in=[])  # nothing sorts after a null (nulls last)
            same = Q(**{f"{key.field}__isnull": True})
        else:
            beyond = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": value})
            if key.nullable:
                beyond |= Q(**{f"{key.field}__isnull": True})
            same = Q(**{key.field: value})
        condition |= equal & beyond
        equal &= same
    return condition


def page_size(limit: int | None) -> int:
    if limit is None:
        return settings.API_PAGE_SIZE
    if limit < 1 or limit > settings.API_PAGE_SIZE_MAX:
        raise ApiProblem(
            422,
            "invalid-request",
            title=_("The request is not valid."),
            detail=_("limit is between 1 and %(max)d.") % {"max": settings.API_PAGE_SIZE_MAX},
            errors=[
                {
                    "field": "limit",
                    "message": _("Between 1 and %(max)d.") % {"max": settings.API_PAGE_SIZE_MAX},
                }
            ],
        )
    return limit


def keyset_page(
    queryset: QuerySet,
    *,
    keys: Sequence[Key],
    cursor: str | None,
    limit: int,
    load: Callable[[list[int]], list[Any]] | None = None,
) -> Page:
    """One page of ``queryset`` in the order of ``keys`` (the last key must be unique, such
    as the id), starting after ``cursor``.

    Two queries: the page's keys (a narrow index scan), then ``load(ids)`` for the rows in
    that order (select_related and prefetches belong there); without ``load`` the rows come
    from ``queryset`` itself.
    """
    if cursor:
        queryset = queryset.filter(_after(keys, cursor_decode(cursor, len(keys))))
    ordered = queryset.order_by(*(key.order for key in keys))
    fields = [key.field for key in keys]
    found = list(ordered.values_list("pk", *fields)[: limit + 1])
    more, found = len(found) > limit, found[:limit]
    ids = [row[0] for row in found]
    if load is not None:
        items = load(ids) if ids else []
    else:
        by_id = {item.pk: item for item in queryset.model.objects.filter(pk__in=ids)}
        items = [by_id[pk] for pk in ids]
    next_cursor = cursor_encode(found[-1][1:]) if more and found else None
    return Page(items=items, next_cursor=next_cursor)


def next_link(request: HttpRequest, cursor: str | None) -> str | None:
    """The absolute URL of the next page: this request's query with ``cursor`` replaced."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{urlencode(query, doseq=True)}")


def list_body(request: HttpRequest, page: Page, items: list) -> dict[str, object]:
    """A list's answer: its shaped ``items``, the ``next`` URL and the bare ``next_cursor``."""
    return {
        "items": items,
        "next": next_link(request, page.next_cursor),
        "next_cursor": page.next_cursor,
    }
