"""Writes of custom fields: admins add, change, reorder and archive them; ticket services
check and set their values (tickets.services.tickets calls ``custom_for_create`` and
``custom_change``).

Taking a choice away from a dropdown or multi-select is allowed and changes no ticket: the
tickets that have it keep it, shown as it was (and found by a filter on it), until someone
changes that field; forms offer it only on those tickets. Refusing would make an admin edit
every such ticket before he may tidy his list, and rewriting them would rewrite history.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from tickets.fields import values
from tickets.fields.models import MAX_CHOICE, MAX_CHOICES, MAX_KEY, PREFIX, TicketField
from tickets.models import Ticket

Kind = TicketField.Kind


def _label(label: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise ValidationError({"label": _("Give the field a label.")})
    if len(label) > TicketField._meta.get_field("label").max_length:  # type: ignore[operator]
        raise ValidationError({"label": _("At most %(count)d characters.") % {"count": 80}})
    return label


def _choices(kind: str, choices: Sequence[str]) -> list[str]:
    if kind not in {Kind.DROPDOWN, Kind.MULTI}:
        return []
    cleaned = values.clean_choices(choices)
    if not cleaned:
        raise ValidationError({"choices": _("Give at least one choice, one per line.")})
    if len(cleaned) > MAX_CHOICES:
        raise ValidationError({"choices": _("At most %(count)d choices.") % {"count": MAX_CHOICES}})
    long = next((c for c in cleaned if len(c) > MAX_CHOICE), None)
    if long is not None:
        raise ValidationError(
            {"choices": _("A choice has at most %(count)d characters.") % {"count": MAX_CHOICE}}
        )
    return cleaned


def _new_key(label: str) -> str:
    """A key from the label, never one any field (archived ones too) has had."""
    base = re.sub(r"[^a-z0-9]+", "_", slugify(label)).strip("_")[: MAX_KEY - 4] or "field"
    taken = set(TicketField.objects.filter(key__startswith=base).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


def _audit(actor: User, field: TicketField, change: str) -> None:
    audit_record(
        action=AuditEvent.Action.FIELDS_CHANGED,
        actor=actor,
        target=f"field “{field.label}”",
        detail={"change": change, "key": field.key, "id": field.pk},
    )


def _save(field: TicketField, **kwargs) -> TicketField:
    try:
        with transaction.atomic():
            field.save(**kwargs)
    except IntegrityError:
        raise ValidationError(
            {
                "label": _("A field named “%(label)s” exists already (restore it if archived).")
                % {"label": field.label}
            }
        ) from None
    return field


@transaction.atomic
def ticket_field_create(
    *,
    actor: User,
    label: str,
    kind: str,
    choices: Sequence[str] = (),
    required: bool = False,
    visibility: str = TicketField.Visibility.EVERYONE,
) -> TicketField:
    require(actor, Perm.MANAGE_FIELDS)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a kind of field.")})
    if visibility not in TicketField.Visibility.values:
        raise ValidationError({"visibility": _("Choose who sees the field.")})
    label = _label(label)
    position = (TicketField.objects.aggregate(top=Max("position"))["top"] or 0) + 1
    field = TicketField(
        label=label,
        key=_new_key(label),
        kind=kind,
        choices=_choices(kind, choices),
        required=required,
        visibility=visibility,
        position=position,
    )
    _save(field)
    _audit(actor, field, "added")
    return field


@transaction.atomic
def ticket_field_update(
    *,
    actor: User,
    field: TicketField,
    label: str,
    choices: Sequence[str] = (),
    required: bool,
    visibility: str,
) -> TicketField:
    """Label, choices, required and visibility change; the key and the kind never do (stored
    values, filters and exports depend on them)."""
    require(actor, Perm.MANAGE_FIELDS)
    if visibility not in TicketField.Visibility.values:
        raise ValidationError({"visibility": _("Choose who sees the field.")})
    field = TicketField.objects.select_for_update().get(pk=field.pk)
    field.label = _label(label)
    field.choices = _choices(field.kind, choices)
    field.required = required
    field.visibility = visibility
    _save(field, update_fields=["label", "choices", "required", "visibility"])
    _audit(actor, field, "changed")
    return field


@transaction.atomic
def ticket_field_move(*, actor: User, field: TicketField, up: bool) -> None:
    """Swap ``field`` with its neighbour among the active fields (positions renumbered)."""
    require(actor, Perm.MANAGE_FIELDS)
    fields = list(
        TicketField.objects.select_for_update().filter(is_active=True).order_by("position", "id")
    )
    at = next((n for n, f in enumerate(fields) if f.pk == field.pk), None)
    if at is None:
        raise ValidationError(_("An archived field has no place in the forms; restore it first."))
    other = at - 1 if up else at + 1
    if 0 <= other < len(fields):
        fields[at], fields[other] = fields[other], fields[at]
    for position, each in enumerate(fields, start=1):
        each.position = position
    TicketField.objects.bulk_update(fields, ["position"])


@transaction.atomic
def ticket_field_archive(*, actor: User, field: TicketField, archived: bool) -> TicketField:
    """Archive (out of forms and filters; values stay readable) or restore (last in order)."""
    require(actor, Perm.MANAGE_FIELDS)
    field = TicketField.objects.select_for_update().get(pk=field.pk)
    field.is_active = not archived
    if not archived:
        field.position = (TicketField.objects.aggregate(top=Max("position"))["top"] or 0) + 1
    field.save(update_fields=["is_active", "position"])
    _audit(actor, field, "archived" if archived else "restored")
    return field


# --- values on tickets ----------------------------------------------------------------------


def custom_for_create(*, staff: bool, given: Mapping[str, object] | None) -> dict[str, object]:
    """The values a new ticket starts with, checked. ``given`` is None when no form was shown
    (mail, internal callers): then none, and required fields don't apply. Otherwise every
    active field the person may see is checked and required ones must be given; values for
    fields he may not see are refused."""
    if given is None:
        return {}
    fields = TicketField.objects.filter(is_active=True)
    if not staff:
        fields = fields.filter(visibility=TicketField.Visibility.EVERYONE)
    by_key = {field.key: field for field in fields}
    unknown = set(given) - set(by_key)
    if unknown:
        raise ValidationError(
            _("There is no field “%(key)s” to fill in.") % {"key": sorted(unknown)[0]}
        )
    errors: dict[str, list[str]] = {}
    custom: dict[str, object] = {}
    for key, field in by_key.items():
        value = given.get(key)
        try:
            values.check(field, value)
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if value is not None:
            custom[key] = value
        elif field.required:
            errors[field.name] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    return custom


def custom_change(ticket: Ticket, name: str, new: object) -> tuple[object, object] | None:
    """Set the custom field ``name`` (``cf_<key>``) of ``ticket`` (locked by the caller) to
    ``new`` after checking it; return (old, new), or None when it holds that already."""
    field = TicketField.objects.filter(key=name.removeprefix(PREFIX)).first()
    if field is None or not field.is_active:
        raise ValidationError({name: _("That field is archived: its value can't change.")})
    old = ticket.custom.get(field.key)
    if old == new:
        return None
    values.check(field, new, current=old)
    if new is None and field.required:
        raise ValidationError({name: _("This field is required.")})
    custom = dict(ticket.custom)
    if new is None:
        custom.pop(field.key, None)
    else:
        custom[field.key] = new
    ticket.custom = custom
    return old, new
