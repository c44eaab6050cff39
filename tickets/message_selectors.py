"""Who may edit or delete which message or file, and the earlier texts staff may read.

One rule (``ChangeRule``) answers for the links a page shows, the pages that edit and
delete, and the services that write: the author of a message (the description, a reply or
a note) or the uploader of a file, for MESSAGE_EDIT_WINDOW after posting; the System's
admins and owner at any time.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Perm, can
from tickets.models import Attachment, MessageVersion, Reply, Ticket, TicketEvent
from tickets.selectors import attachment_get_for_user, ticket_get_for_user

# How long after posting the author may still edit or delete what he wrote.
MESSAGE_EDIT_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class ChangeRule:
    """The rule for one person at one moment (a page asks it once per message)."""

    user_id: int | None
    moderator: bool
    active: bool
    now: datetime

    @classmethod
    def for_user(cls, user: User, *, now: datetime | None = None) -> ChangeRule:
        return cls(
            user_id=user.pk if user.is_authenticated else None,
            moderator=can(user, Perm.MODERATE_MESSAGES),
            active=can(user, Perm.TICKET_CREATE),
            now=now or timezone.now(),
        )

    def refusal(self, *, author_id: int | None, posted_at: datetime) -> str | None:
        """Why this person may not change it, or None when he may."""
        if self.moderator:
            return None
        minutes = int(MESSAGE_EDIT_WINDOW.total_seconds() // 60)
        if not self.active or author_id is None or author_id != self.user_id:
            return _(
                "Only its author (for %(minutes)d minutes after posting) or an admin of this "
                "help desk can change or delete this."
            ) % {"minutes": minutes}
        if self.now - posted_at > MESSAGE_EDIT_WINDOW:
            return _(
                "You can change or delete what you wrote for %(minutes)d minutes after posting; "
                "that time is over. An admin of this help desk can still do it."
            ) % {"minutes": minutes}
        return None

    def allows(self, *, author_id: int | None, posted_at: datetime) -> bool:
        return self.refusal(author_id=author_id, posted_at=posted_at) is None


def description_author_id(ticket: Ticket) -> int | None:
    """Who wrote the description: whoever raised the ticket (staff may raise it for
    someone else, who is then its requester)."""
    return (
        TicketEvent.objects.filter(ticket_id=ticket.pk, kind=TicketEvent.Kind.CREATED)
        .order_by("id")
        .values_list("actor_id", flat=True)
        .first()
    )


def _author_and_posted(message: Ticket | Reply | Attachment) -> tuple[int | None, datetime]:
    if isinstance(message, Ticket):
        return description_author_id(message), message.created_at
    if isinstance(message, Attachment):
        return message.uploaded_by_id, message.created_at
    return message.author_id, message.created_at


def message_change_check(*, user: User, message: Ticket | Reply | Attachment) -> None:
    """Raise PermissionDenied, with a sentence saying why, unless ``user`` may edit or
    delete ``message`` (a Ticket stands for its description; an Attachment for a file)."""
    author_id, posted_at = _author_and_posted(message)
    refusal = ChangeRule.for_user(user).refusal(author_id=author_id, posted_at=posted_at)
    if refusal:
        raise PermissionDenied(refusal)


def description_may_change(*, user: User, ticket: Ticket) -> bool:
    """For the ticket's page: asks the database only when the answer can be yes."""
    rule = ChangeRule.for_user(user)
    if rule.moderator:
        return True
    if not rule.active or rule.now - ticket.created_at > MESSAGE_EDIT_WINDOW:
        return False
    return rule.allows(author_id=description_author_id(ticket), posted_at=ticket.created_at)


def reply_get_for_change(*, user: User, number: int, reply_id: int) -> Reply:
    """A reply or note of a ticket ``user`` sees: 404 when he can't see it (or it is deleted),
    PermissionDenied when he sees it but may not change it."""
    ticket = ticket_get_for_user(user=user, number=number)
    reply = (
        Reply.objects.filter(ticket=ticket, pk=reply_id, erased_at__isnull=True)
        .select_related("author", "edited_by")
        .first()
    )
    if reply is None or (reply.is_internal and not can(user, Perm.TICKET_VIEW_ALL)):
        raise Http404("No such message.")
    reply.ticket = ticket
    message_change_check(user=user, message=reply)
    return reply


def description_get_for_change(*, user: User, number: int) -> Ticket:
    ticket = ticket_get_for_user(user=user, number=number)
    message_change_check(user=user, message=ticket)
    return ticket


def attachment_get_for_change(*, user: User, number: int, attachment_id: int) -> Attachment:
    attachment = attachment_get_for_user(user=user, number=number, attachment_id=attachment_id)
    message_change_check(user=user, message=attachment)
    return attachment


def text_digest(text: str) -> str:
    """What an edit form carries of the text it showed, to notice an edit made meanwhile."""
    return hashlib.sha256(text.encode()).hexdigest()


def message_versions(*, user: User, ticket: Ticket) -> dict[int | None, list[MessageVersion]]:
    """Earlier texts on this ticket by reply id (None: the description), oldest first.
    Staff only: a member never reads an earlier text, of a note or anything else."""
    if not can(user, Perm.TICKET_VIEW_ALL):
        return {}
    found: dict[int | None, list[MessageVersion]] = defaultdict(list)
    for version in MessageVersion.objects.filter(ticket_id=ticket.pk).select_related("replaced_by"):
        found[version.reply_id].append(version)
    return dict(found)
