"""Full-text search in PostgreSQL, kept up to date by the services that write text.

Content the operator disabled is left out of the index (it stays in the table).

``search_vector``: subject (A), description (B), public replies (C) — what anyone who may
see the ticket may find. ``note_vector``: internal notes, searched for staff only.
The 'simple' configuration (no stemming) treats every language alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection

CONFIG = "simple"
# Longest text of one kind indexed per ticket (tsvector has a 1 MB limit).
_MAX_CHARS = 200_000

REFRESH_SQL = f"""
UPDATE tickets_ticket AS t SET
  search_vector = CASE WHEN t.removed_reason <> '' THEN ''::tsvector ELSE
      setweight(to_tsvector('{CONFIG}', left(t.subject, {_MAX_CHARS})), 'A')
   || setweight(to_tsvector('{CONFIG}', left(t.description, {_MAX_CHARS})), 'B')
   || setweight(to_tsvector('{CONFIG}', left(coalesce(
        (SELECT string_agg(r.body, ' ') FROM tickets_reply r
          WHERE r.ticket_id = t.id AND NOT r.is_internal AND r.removed_reason = ''), ''),
        {_MAX_CHARS})), 'C') END,
  note_vector = CASE WHEN t.removed_reason <> '' THEN ''::tsvector ELSE
      to_tsvector('{CONFIG}', left(coalesce(
        (SELECT string_agg(r.body, ' ') FROM tickets_reply r
          WHERE r.ticket_id = t.id AND r.is_internal AND r.removed_reason = ''), ''),
        {_MAX_CHARS})) END
WHERE t.id = ANY(%s)
"""  # noqa: S608 - constants only; ids are a parameter


def refresh(ticket_ids: Iterable[int]) -> None:
    ids = list(ticket_ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(REFRESH_SQL, [ids])


_WORD = re.compile(r"[\w@.+-]+", re.UNICODE)


def words(text: str) -> list[str]:
    """The searched words: letters, digits and a few joiners (dots in emails, hyphens)."""
    found = [w.strip(".-+") for w in _WORD.findall(text.lower())]
    return [w for w in found if w][:12]


def to_tsquery(text: str) -> str | None:
    """Every word must match; the last one also as a prefix (search as you type).

    Returns a tsquery string made only of word characters, or None for nothing to search.
    """
    words_ = words(text)
    if not words_:
        return None
    terms = [f"'{word}'" for word in words_]
    terms[-1] += ":*"
    return " & ".join(terms)
