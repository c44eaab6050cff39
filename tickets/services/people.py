"""What tickets do when a person's account goes."""

from __future__ import annotations

from accounts.models import User
from accounts.services.removal import DELETED_USER
from tickets.models import TicketEvent


def history_forget_person(sender, *, user: User, name_kept: bool, **kwargs) -> None:
    """Ticket history keeps names as text (assignee and follower changes): his read
    "Deleted user" too, unless someone who stays has the same name. (accounts.hooks
    .person_deleted, in the deleting transaction.)"""
    if name_kept:
        return
    name = user.get_full_name()
    events = TicketEvent.objects.filter(field__in=["assignee", "followers"])
    for column in ("old_value", "new_value"):
        events.filter(**{column: name}).update(**{column: DELETED_USER})
        for sign in ("+", "-"):
            events.filter(**{column: f"{sign} {name}"}).update(**{column: f"{sign} {DELETED_USER}"})
