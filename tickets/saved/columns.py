"""The columns a ticket list can show: one registry for the header and the cells.

Today's columns are registered below, in the order the list has always shown them; a
feature adds its own with one call::

    column_register(Column("sla", "SLA", whole=sla_cell, sort="sla", staff_only=True))

A cell is built with format_html (every value escaped), not a template: a page holds 25
rows of several cells, and the template engine costs a few microseconds per node.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

from tickets.models import Ticket
from tickets.rendering import requester_label
from tickets.selectors import TicketRow, highlight


@dataclass(frozen=True)
class Rendering:
    """What every cell of one table may read: the searched words, the list each ticket's
    link carries ("list=…", for previous / next on its page), and one "now" for all rows."""

    q: str = ""
    link_query: str = ""
    now: datetime = field(default_factory=timezone.now)


# (row, rendering) -> the cell's content.
Cell = Callable[[TicketRow, Rendering], SafeString | str]


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise  # lazy: the header is in the reader's language
    # What the cell shows: a function of the row, or else the ticket's attribute ``key``.
    cell: Cell | None = None
    # The list's sort (a key of tickets.selectors.SORTS) this column sorts by; "" when none.
    sort: str = ""
    css_class: str = ""
    # Builds the whole <td> itself (its class depends on the value), instead of ``cell``.
    whole: Cell | None = None
    # Never shown to members (their lists and views drop it).
    staff_only: bool = False
    # Shown to staff in a list whose view chose no columns.
    staff_default: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.sort)

    def render(self, row: TicketRow, rendering: Rendering) -> SafeString:
        if self.whole is not None:
            return format_html("{}", self.whole(row, rendering))
        value = self.cell(row, rendering) if self.cell else getattr(row.ticket, self.key, "")
        if self.css_class:
            return format_html('<td class="{}">{}</td>', self.css_class, value)
        return format_html("<td>{}</td>", "—" if value is None or value == "" else value)


_REGISTRY: dict[str, Column] = {}
# The columns of a list that chooses none: the list as it always was.
DEFAULT_COLUMNS: tuple[str, ...] = (
    "number",
    "subject",
    "status",
    "priority",
    "requester",
    "assignee",
    "updated",
)


def column_register(column: Column) -> Column:
    """Make a column available to every list and saved view (a later one replaces an
    earlier one of the same key)."""
    _REGISTRY[column.key] = column
    return column


# Columns made from a System's own data (its custom fields): a source gives them for the
# current schema and the viewer (staff or not). Asked only when a view names a column the
# registry doesn't hold, or when the choice of columns is offered.
ColumnSource = Callable[[bool], list[Column]]
_SOURCES: list[ColumnSource] = []


def column_source_register(source: ColumnSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def _from_sources(staff: bool) -> list[Column]:
    return [column for source in _SOURCES for column in source(staff)]


def columns_available(*, staff: bool = True, extra: Sequence[Column] | None = None) -> list[Column]:
    """Every column ``staff`` (or a member) may choose; ``extra``: the sources' columns when
    the caller has them already (else they are asked)."""
    made = list(extra) if extra is not None else _from_sources(staff)
    fixed = [column for column in _REGISTRY.values() if staff or not column.staff_only]
    return fixed + [column for column in made if staff or not column.staff_only]


def columns_for(
    keys: Sequence[str] | None, *, staff: bool = False, extra: Sequence[Column] | None = None
) -> list[Column]:
    """The columns among ``keys``, in that order (unknown keys, such as those of a feature
    or a field since removed, are passed over, and staff-only ones for members); the default
    set when none is left: today's list, and for staff the columns made to be there."""
    shown = {key: column for key, column in _REGISTRY.items() if staff or not column.staff_only}
    if any(key not in shown for key in keys or ()):
        made = list(extra) if extra is not None else _from_sources(staff)
        shown |= {column.key: column for column in made if staff or not column.staff_only}
    chosen = [shown[key] for key in keys or () if key in shown]
    if chosen:
        return chosen
    defaults = [shown[key] for key in DEFAULT_COLUMNS if key in shown]
    return defaults + [column for column in shown.values() if staff and column.staff_default]


def column_keys_clean(keys: Iterable[str]) -> list[str]:
    """Known keys, each once, in the order given."""
    known = {column.key for column in columns_available()}
    return list(dict.fromkeys(key for key in keys if key in known))


def _when(moment) -> SafeString:
    return format_html(
        '<time datetime="{}">{}</time>',
        moment.isoformat(),
        # The reader's zone (accounts.middleware) and month names in the reader's language.
        date_format(timezone.localtime(moment), "j M, H:i"),
    )


def _subject(row: TicketRow, rendering: Rendering) -> SafeString:
    ticket, q = row.ticket, rendering.q
    if ticket.removed_reason:
        subject: SafeString | str = gettext("Removed content")
    else:
        subject = highlight(ticket.subject, q) if q else ticket.subject
    tags = format_html_join(
        "",
        '<span class="badge text-bg-light ms-1">{}</span>',
        ((t.name,) for t in ticket.tags.all()),
    )
    snippet = (
        format_html('<div class="small text-body-secondary search-snippet">{}</div>', row.headline)
        if row.headline and not ticket.removed_reason
        else ""
    )
    suffix = f"?{rendering.link_query}" if rendering.link_query else ""
    return format_html(
        '<a href="/tickets/{}/{}">{}</a>{}{}', ticket.number, suffix, subject, tags, snippet
    )


def _assignee(ticket: Ticket) -> str:
    return str(ticket.assignee) if ticket.assignee_id else "—"


for _column in (
    Column("number", "#", lambda row, _: f"#{row.ticket.number}", "number", "text-nowrap"),
    Column("subject", gettext_lazy("Subject"), _subject),
    Column(
        "status",
        gettext_lazy("Status"),
        lambda row, _: format_html(
            '<span class="status status-{}">{}</span>', row.ticket.status, row.ticket.status_label
        ),
    ),
    Column(
        "priority",
        gettext_lazy("Priority"),
        lambda row, _: format_html(
            '<span class="priority priority-{}">{}</span>',
            row.ticket.priority,
            row.ticket.priority_label,
        ),
        "priority",
    ),
    Column("requester", gettext_lazy("Requester"), lambda row, _: requester_label(row.ticket)),
    Column("assignee", gettext_lazy("Assignee"), lambda row, _: _assignee(row.ticket)),
    Column(
        "updated",
        gettext_lazy("Updated"),
        lambda row, _: _when(row.ticket.updated_at),
        "updated",
        "text-nowrap",
    ),
    # Not shown unless a view chooses them.
    Column(
        "created",
        gettext_lazy("Created"),
        lambda row, _: _when(row.ticket.created_at),
        "created",
        "text-nowrap",
    ),
    Column("category", gettext_lazy("Category"), lambda row, _: str(row.ticket.category or "—")),
    Column(
        "due",
        gettext_lazy("Due"),
        lambda row, _: row.ticket.due_on.isoformat() if row.ticket.due_on else "—",
        "due",
        "text-nowrap",
    ),
    Column("replies", gettext_lazy("Replies"), lambda row, _: str(row.ticket.reply_count)),
):
    column_register(_column)


def rows_html(
    rows: Iterable[TicketRow],
    columns: Sequence[Column],
    *,
    q: str = "",
    selectable: bool = False,
    link_query: str = "",
) -> SafeString:
    rendering = Rendering(q=q, link_query=link_query)
    out = []
    for row in rows:
        box = (
            format_html(
                '<td><input type="checkbox" class="form-check-input" name="ticket" value="{}" '
                'form="bulk-form" aria-label="{}"></td>',
                row.ticket.number,
                gettext("Select #%(number)s") % {"number": row.ticket.number},
            )
            if selectable
            else ""
        )
        cells = "".join(column.render(row, rendering) for column in columns)
        out.append(format_html("<tr>{}{}</tr>", box, mark_safe(cells)))  # noqa: S308
    return mark_safe("".join(out))  # noqa: S308 - each row built with format_html
