"""How a coded field's value is kept in the history (TicketEvent.old_value/new_value) and
how it reads there. Status and priority are stored as their codes ("open", "high") so the
history and the reports do not depend on the language of whoever made the change; the
label is looked up when the line is shown, in the reader's language. Rows written before
(labels such as "Open") were converted by migration 0021; free text (names, subjects, a
custom field's text) is stored and shown as it is."""

from __future__ import annotations

from django.db import connection, models

from tickets.models import Priority, Status, TicketEvent

CODED: dict[str, type[models.TextChoices]] = {"status": Status, "priority": Priority}


def event_code(field: str, value: str) -> str:
    """``value`` as stored for ``field``: a coded field's label (any case) becomes its code;
    anything else, unknown values too, is left as it is (old archives, free text)."""
    choices = CODED.get(field)
    if choices is None:
        return value
    lowered = value.strip().lower()
    for code, label in choices.choices:
        if lowered in (code, str(label).lower()):
            return code
    return value


def event_label(field: str, value: str) -> str:
    """How a stored value reads in the history: the translated label of a code, else the
    text as stored."""
    choices = CODED.get(field)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value


def event_codes_convert() -> int:
    """Rewrite labels stored by older versions (an archive from before, imported) as codes,
    as migration 0021 did for the rows then: case-insensitive, unknown values kept."""
    changed = 0
    table = connection.ops.quote_name(TicketEvent._meta.db_table)
    with connection.cursor() as cursor:
        for field, choices in CODED.items():
            for column in ("old_value", "new_value"):
                for code, label in choices.choices:
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s "  # noqa: S608 - our names
                        f"WHERE field = %s AND lower(btrim({column})) IN (%s, %s) "
                        f"AND {column} <> %s",
                        [code, field, code, str(label).lower(), code],
                    )
                    changed += cursor.rowcount
    return changed
