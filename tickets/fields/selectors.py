"""Reads of custom fields: which fields a person may see, their values on a ticket, the
list's filters on them, and their labels in the history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Perm, can
from tickets.fields import values
from tickets.fields.models import PREFIX, TicketField
from tickets.models import Ticket, TicketEvent


def _visible(staff: bool) -> QuerySet[TicketField]:
    fields = TicketField.objects.all()
    return fields if staff else fields.filter(visibility=TicketField.Visibility.EVERYONE)


def fields_for_user(*, user: User, archived: bool = False) -> list[TicketField]:
    """The fields ``user`` may see (members: those visible to everyone), in order; archived
    ones too when ``archived``."""
    fields = _visible(can(user, Perm.TICKET_VIEW_ALL))
    return list(fields if archived else fields.filter(is_active=True))


def list_fields(*, user: User) -> list[TicketField]:
    """The fields a ticket list may show as columns for ``user`` (saved views' columns): the
    active ones he may see. Render a ticket's value with ``{{ ticket|custom_value:field }}``
    (``{% load custom_fields %}``)."""
    return fields_for_user(user=user)


def field_get(*, field_id: int) -> TicketField:
    field = TicketField.objects.filter(pk=field_id).first()
    if field is None:
        raise Http404("No such field.")
    return field


def field_list() -> list[TicketField]:
    """Every field, archived ones last, for the admin page."""
    return list(TicketField.objects.order_by("-is_active", "position", "id"))


@dataclass(frozen=True)
class ShownValue:
    label: str
    text: str
    archived: bool


def values_shown(*, ticket: Ticket, fields: Iterable[TicketField]) -> list[ShownValue]:
    """The values ``ticket`` holds for ``fields`` (those the viewer may see), as text."""
    return [
        ShownValue(field.label, values.display(ticket.custom.get(field.key)), not field.is_active)
        for field in fields
        if ticket.custom.get(field.key) is not None
    ]


# --- the list's filters ---------------------------------------------------------------------


def custom_filter(*, user: User, chosen: Mapping[str, str]) -> Q:
    """``cf_<key>=<value>`` filters as one condition on ``Ticket.custom``: containment
    (``@>``, which the GIN index answers) for each active field ``user`` may see; unknown,
    archived and staff-only (for members) fields, and values a field can't hold, are left
    out. A checkbox's "no" is "not ticked" (never ticked included)."""
    fields = _visible(can(user, Perm.TICKET_VIEW_ALL)).filter(is_active=True, key__in=list(chosen))
    wanted: dict[str, object] = {}
    condition = Q()
    for field in fields:
        value = values.filter_value(field, chosen[field.key])
        if value is False:
            condition &= ~Q(custom__contains={field.key: True})
        elif value is not None:
            wanted[field.key] = value
    if wanted:
        condition &= Q(custom__contains=wanted)
    return condition


_INPUT_TYPES = {TicketField.Kind.NUMBER: "number", TicketField.Kind.DATE: "date"}


@dataclass(frozen=True)
class FilterControl:
    field: TicketField
    chosen: str
    options: list[tuple[str, str]]  # (value, label) of a select; empty for an input
    input_type: str = "text"


def filter_controls(
    *, user: User, chosen: Mapping[str, str], fields: list[TicketField] | None = None
) -> list[FilterControl]:
    """The list's filter form: a select for dropdown, multi-select (tickets having the
    choice) and checkbox fields; an input (equals) for the others. ``fields``: those
    ``user`` may see, when the caller read them already."""
    controls = []
    for field in fields if fields is not None else fields_for_user(user=user):
        if field.kind == TicketField.Kind.CHECKBOX:
            options = [("yes", _("Yes")), ("no", _("No"))]
        else:
            options = [(choice, choice) for choice in field.choices] if field.has_choices else []
        input_type = _INPUT_TYPES.get(field.kind, "text")  # type: ignore[call-overload]
        controls.append(FilterControl(field, chosen.get(field.key, ""), options, input_type))
    return controls


# --- the history ----------------------------------------------------------------------------


def history_hidden() -> Q:
    """Changes of staff-only fields, which members never see (a subquery: no query)."""
    staff_only = (
        TicketField.objects.filter(visibility=TicketField.Visibility.STAFF)
        .annotate(event_field=Concat(Value(PREFIX), "key"))
        .values("event_field")
    )
    return Q(field__in=staff_only)


def history_label(events: Iterable[TicketEvent]) -> list[TicketEvent]:
    """Give each change of a custom field its field's label as ``field_label`` (one query,
    only when there is such a change)."""
    events = list(events)
    keys = {e.field.removeprefix(PREFIX) for e in events if e.field.startswith(PREFIX)}
    if keys:
        labels = dict(TicketField.objects.filter(key__in=keys).values_list("key", "label"))
        for event in events:
            if event.field.startswith(PREFIX):
                key = event.field.removeprefix(PREFIX)
                event.field_label = labels.get(key, key)  # type: ignore[attr-defined]
    return events
