"""Full-text search of articles: the tickets' configuration and query rules
(``tickets.search``), title (A) over body (B).

Vietnamese readers often type without diacritics ("hoa don" for "hóa đơn"). Each text is
indexed twice, as written and folded (marks taken off, đ → d), and each searched word
matches either form. The folding is done here in Python, so it needs no database extension
(PostgreSQL's ``unaccent`` is not in every build this project runs on).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db import connection

from tickets import search
from tickets.kb.models import Article

CONFIG = search.CONFIG
_MAX_CHARS = 200_000

_UPDATE_SQL = f"""
UPDATE tickets_article SET search_vector =
    setweight(to_tsvector('{CONFIG}', %s), 'A') || setweight(to_tsvector('{CONFIG}', %s), 'B')
WHERE id = %s
"""  # noqa: S608 - constants only; texts and id are parameters


def fold(text: str) -> str:
    """``text`` without diacritics: "Hóa đơn" → "Hoa don"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# What a folded word may hold inside a tsquery term (as tickets.search.words allows).
_UNSAFE = re.compile(r"[^\w@.+-]")


def _both(text: str) -> str:
    text = text[:_MAX_CHARS]
    folded = fold(text)
    return text if folded == text else f"{text}\n{folded}"


def refresh(article_ids: Iterable[int]) -> None:
    """Write the search vector of these articles from their title and body."""
    rows = Article.objects.filter(pk__in=list(article_ids)).values_list("pk", "title", "body")
    params = [(_both(title), _both(body), pk) for pk, title, body in rows]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(_UPDATE_SQL, params)


def to_tsquery(text: str) -> str | None:
    """Every word must match (as written or folded); the last one also as a prefix.

    Returns a tsquery string made only of word characters, or None for nothing to search.
    """
    words = search.words(text)
    if not words:
        return None
    terms = []
    for index, word in enumerate(words):
        suffix = ":*" if index == len(words) - 1 else ""
        forms = dict.fromkeys(f for f in (word, _UNSAFE.sub("", fold(word))) if f)
        terms.append("(" + " | ".join(f"'{form}'{suffix}" for form in forms) + ")")
    return " & ".join(terms)
