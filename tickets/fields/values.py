"""Custom-field values: from what a form cleaned to what is stored, checked, shown and
filtered on. Plain functions of a field's definition and a value (no database).

Stored, in ``Ticket.custom[key]``: text as a string, a number as a JSON number, a date as
``YYYY-MM-DD``, a dropdown as its choice's text, a multi-select as a list of choices (in the
field's order), a ticked checkbox as ``true``. An empty value (no text, nothing chosen, a
checkbox left unticked) is not stored at all.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tickets.fields.models import TicketField

Kind = TicketField.Kind
MAX_TEXT = 500
# Beyond 15 digits a JSON number read by a spreadsheet or JavaScript loses precision.
MAX_NUMBER = Decimal("1e15")


def stored(field: TicketField, value: object) -> object | None:
    """What a form field cleaned (str, Decimal, date, list, bool), as it is stored; None when
    empty."""
    if value is None or value == "" or value == [] or value is False:
        return None
    if field.kind == Kind.NUMBER:
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    if field.kind == Kind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if field.kind == Kind.MULTI:
        chosen = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        order = {choice: n for n, choice in enumerate(field.choices)}
        return sorted(dict.fromkeys(chosen), key=lambda v: (order.get(v, len(order)), v))
    if field.kind == Kind.CHECKBOX:
        return True
    return str(value).strip() or None


def _refuse(field: TicketField, message: str) -> ValidationError:
    return ValidationError({field.name: message})


def check(field: TicketField, value: object, *, current: object = None) -> None:
    """Refuse a value ``field`` can't hold. ``current`` is what the ticket holds now: a
    choice taken away since may stay (a form left alone sends it back)."""
    if value is None:
        return
    kind = field.kind
    if kind == Kind.TEXT:
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise _refuse(field, _("At most %(count)d characters.") % {"count": MAX_TEXT})
    elif kind == Kind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _refuse(field, _("Give a number."))
        if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
            raise _refuse(field, _("That number is too large."))
    elif kind == Kind.DATE:
        try:
            date.fromisoformat(str(value))
        except ValueError:
            raise _refuse(field, _("Give a date.")) from None
        if not isinstance(value, str) or len(value) != 10:
            raise _refuse(field, _("Give a date."))
    elif kind == Kind.CHECKBOX:
        if value is not True:
            raise _refuse(field, _("A checkbox is ticked or not."))
    elif kind == Kind.DROPDOWN:
        if value != current and value not in field.choices:
            raise _refuse(field, _("“%(value)s” is not one of the choices.") % {"value": value})
    elif kind == Kind.MULTI:
        if not isinstance(value, list) or not value:
            raise _refuse(field, _("Choose from the list."))
        kept = current if isinstance(current, list) else []
        wrong = [v for v in value if v not in field.choices and v not in kept]
        if wrong:
            raise _refuse(field, _("“%(value)s” is not one of the choices.") % {"value": wrong[0]})


def text(value: object) -> str:
    """A stored value as text, the same in every language (``display`` is for a reader):
    what the ticket's history stores."""
    if value is None:
        return ""
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def display(value: object) -> str:
    """A stored value as a reader reads it (pages, the spreadsheet): a checkbox in the
    reader's language."""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return text(value)


def shown_text(value: object) -> str:
    """A value as the sidebar's hidden ``shown_`` input carries it."""
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def shown_value(raw: str) -> object:
    """The value a hidden ``shown_`` input carried; ValueError when it is not one of ours."""
    if raw == "":
        return None
    value = json.loads(raw)
    if isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            raise ValueError("not a list of choices")
        return value
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError("not a field's value")


def filter_value(field: TicketField, raw: str) -> object | None:
    """The ``{key: …}`` a list filter ``cf_<key>=<raw>`` looks for with ``@>``; None when
    ``raw`` can't be a value of this field (the filter is then left out)."""
    raw = raw.strip()
    if not raw:
        return None
    kind = field.kind
    if kind == Kind.NUMBER:
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return None
        if not number.is_finite() or abs(number) >= MAX_NUMBER:
            return None
        return stored(field, number)
    if kind == Kind.DATE:
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            return None
    if kind == Kind.CHECKBOX:
        return {"yes": True, "no": False}.get(raw)
    if kind == Kind.MULTI:
        return [raw]  # contains this choice
    return raw


def clean_choices(lines: Iterable[str]) -> list[str]:
    """The choices an admin typed, one per line: trimmed, without blanks or repeats."""
    return list(dict.fromkeys(line.strip() for line in lines if line.strip()))
