"""@mentions in internal notes: the syntax, who a note names, and the highlight.

A mention is ``@`` followed by the local part of a staff person's address (``@dana`` for
dana@acme.example), or by the whole address when two staff share a local part
(``@dana@acme.example``). It must start a word: ``mail dana@acme.example`` mentions nobody.
A handle two staff share, or that names a member, a contact or nobody, does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

from accounts.models import User

# Not after a word character, "@", "/" or ".": addresses and links are not mentions.
MENTION = re.compile(
    r"(?<![\w@/.+-])@([A-Za-z0-9][A-Za-z0-9._%+-]*(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)"
)
_TRAILING = ".-_"  # "thanks @dana." ends the sentence, not the handle


def handles(text: str) -> list[str]:
    """The handles written in ``text``, lower case, in order, once each."""
    found: dict[str, None] = {}
    for match in MENTION.finditer(text):
        found[match.group(1).rstrip(_TRAILING).lower()] = None
    return [handle for handle in found if handle]


def handle_map(staff: Iterable[User]) -> dict[str, User]:
    """What each handle means among ``staff``: every whole address, and each local part
    that exactly one of them has."""
    by_address: dict[str, User] = {}
    by_local: dict[str, list[User]] = {}
    for person in staff:
        address = person.email.lower()
        by_address[address] = person
        by_local.setdefault(address.split("@", 1)[0], []).append(person)
    unique = {local: people[0] for local, people in by_local.items() if len(people) == 1}
    return {**unique, **by_address}


def handle_of_each(staff: Iterable[User]) -> list[tuple[str, User]]:
    """The shortest handle that names each of ``staff``: his local part, or his whole
    address when a colleague shares it (what the reply box's autocomplete offers)."""
    people = list(staff)
    known = handle_map(people)
    return [
        (local if known.get(local) is person else person.email.lower(), person)
        for person in people
        for local in [person.email.lower().split("@", 1)[0]]
    ]


def mentioned(text: str, staff: Iterable[User]) -> list[User]:
    """The staff ``text`` mentions, once each, in the order first mentioned."""
    known = handle_map(staff)
    people: dict[int, User] = {}
    for handle in handles(text):
        person = known.get(handle)
        if person is not None:
            people.setdefault(person.pk, person)
    return list(people.values())


def mark_mentions(html: str, known: Iterable[str]) -> SafeString:
    """``html`` (sanitised) with each mention of a known handle wrapped in a highlight.

    Only text between tags is touched: a mention-like string in an attribute (a link's
    address) stays as it is.
    """
    wanted = set(known)
    if not wanted or "@" not in html:
        return mark_safe(html)  # noqa: S308 - sanitised by the caller's source

    def mark(match: re.Match[str]) -> str:
        handle = match.group(1).rstrip(_TRAILING)
        if handle.lower() not in wanted:
            return match.group(0)
        rest = match.group(1)[len(handle) :]
        return f'<span class="mention">@{handle}</span>{rest}'

    parts = re.split(r"(<[^>]*>)", html)
    marked = [part if part.startswith("<") else MENTION.sub(mark, part) for part in parts]
    return mark_safe("".join(marked))  # noqa: S308 - only a span added around escaped text
