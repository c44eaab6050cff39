"""Content people write that the operator may take down: tickets, replies, files, and
whatever later holds text or files.

The apps that hold such content register a provider for each kind in their AppConfig
.ready(); legal's reports and takedowns reach content only through these providers, so
legal imports no app that holds content and such an app never imports legal.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.http import Http404


class ContentProvider(Protocol):
    def for_user(self, *, user: Any, number: int, object_id: int) -> Any:
        """The object ``user`` may see under ``number`` (raises Http404 otherwise)."""

    def number_of(self, obj: Any) -> int:
        """The number (a ticket's) that people find the object under."""

    def set_removed(self, *, object_id: int, reason: str) -> int:
        """Show ``reason`` in place of the object ("" shows it again); returns its number.
        Runs in the System's schema, inside the caller's transaction."""

    def exists(self, *, object_id: int) -> bool:
        """Whether the object is still there (the System may have deleted it for good)."""

    def locate(self, *, number: int, object_id: int | None) -> int | None:
        """The id of the object a notice from outside names: the ticket ``number`` (tickets)
        or the object ``object_id`` on that ticket; None when there is no such thing. For
        the operator, who sees no content: it answers whether it exists, not what it says.
        Runs in the System's schema."""


_PROVIDERS: dict[str, ContentProvider] = {}


def register(kind: str, provider: ContentProvider) -> None:
    _PROVIDERS[kind] = provider


def provider(kind: str) -> ContentProvider:
    try:
        return _PROVIDERS[kind]
    except KeyError:
        raise Http404("Nothing of that kind can be reported.") from None
