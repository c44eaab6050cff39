"""Reads for working together: what arrived on a ticket since a page was drawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Perm, can
from tickets.models import Reply, Ticket
from tickets.selectors import TimelineEntry

# A collision warning lists at most this many messages ("and more" beyond).
SHOWN_MAX = 10
START_CHARS = 160


@dataclass(frozen=True)
class Arrived:
    """A message that arrived while someone was writing his own."""

    reply_id: int
    author: str
    at: datetime
    internal: bool
    start: str  # the start of its text


def newest_shown(timeline: list[TimelineEntry]) -> int:
    """The id of the newest message a page shows (0 for none): what its reply form carries
    to learn, when sent, whether another arrived meanwhile."""
    return max((entry.reply.pk for entry in timeline if entry.reply), default=0)


def _author(reply: Reply) -> str:
    if reply.author_id:
        return str(reply.author)
    if reply.author_contact_id:
        return _("%(name)s (contact)") % {"name": reply.author_contact}
    return _("Deleted user")


def replies_since(*, user: User, ticket: Ticket, seen: int) -> list[Arrived]:
    """Messages ``user`` may read that others posted on ``ticket`` after message ``seen``
    (his own, and deleted ones, don't count), oldest first."""
    replies = (
        Reply.objects.filter(ticket=ticket, pk__gt=seen, erased_at__isnull=True)
        .exclude(author=user)
        .select_related("author", "author_contact")
        .order_by("id")
    )
    if not can(user, Perm.TICKET_VIEW_ALL):
        replies = replies.filter(is_internal=False)
    return [
        Arrived(
            reply_id=reply.pk,
            author=_author(reply),
            at=reply.created_at,
            internal=reply.is_internal,
            start=(
                _("Removed by the operator.")
                if reply.removed_reason
                else Truncator(" ".join(reply.body.split())).chars(START_CHARS)
            ),
        )
        for reply in replies[: SHOWN_MAX + 1]
    ]
