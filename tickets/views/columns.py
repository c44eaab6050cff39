"""The list's columns made from a System's custom fields (one per active field the viewer
may see): built here, where both tickets.saved (the registry) and tickets.fields (the
fields) may be imported without a cycle, and handed to the registry as a source by
TicketsConfig.ready."""

from __future__ import annotations

from collections.abc import Iterable

from servicedesk.schema import in_public_schema
from tickets.fields import values
from tickets.fields.models import TicketField
from tickets.saved.columns import Column, Rendering
from tickets.selectors import TicketRow

PREFIX = "cf_"


def field_columns(fields: Iterable[TicketField]) -> list[Column]:
    """A column per field, keyed like its list filter (``cf_<key>``); staff-only fields make
    staff-only columns."""

    def cell(key: str):
        def render(row: TicketRow, rendering: Rendering) -> str:
            return values.text(row.ticket.custom.get(key))

        return render

    return [
        Column(
            f"{PREFIX}{field.key}",
            field.label,
            cell(field.key),
            staff_only=field.visibility == TicketField.Visibility.STAFF,
        )
        for field in fields
    ]


def custom_field_columns(staff: bool) -> list[Column]:
    """The registry's source: the current System's active fields (one query; none outside
    a System)."""
    if in_public_schema():
        return []
    fields = TicketField.objects.filter(is_active=True)
    if not staff:
        fields = fields.filter(visibility=TicketField.Visibility.EVERYONE)
    return field_columns(fields)
