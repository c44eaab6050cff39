"""The reports page's tables: a year's days are ~1,500 cells per table, which Django's
template loop renders ~30× slower than this (the page's largest cost after its SQL)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from tickets.reports.sections import Table

register = template.Library()

_EMPTY = "—"


def _cell(value: object) -> str:
    # As {{ value }} would show it: localized (decimal separator), then escaped. Counts
    # (most cells) skip Django's number formatting when it would only call str().
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    if type(value) is str:
        return escape(value)
    return conditional_escape(localize(value))


@register.simple_tag
def report_rows(table: Table) -> SafeString:
    """The table's rows: the first cell a row header, None shown as a dash."""
    rows = []
    for row in table.rows:
        head, *cells = row
        body = "".join(f"<td>{_EMPTY if c is None else _cell(c)}</td>" for c in cells)
        rows.append(f'<tr><th scope="row">{_cell(head)}</th>{body}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped by _cell
