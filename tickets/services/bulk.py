"""One action on many tickets from the list; each change is still the ticket's own event."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Perm, require
from tickets.models import Status, Ticket
from tickets.services.tickets import ticket_update
from tickets.services.trash import ticket_trash

BULK_ACTIONS = ("assign", "status", "priority", "tag", "close", "trash", "macro")

# Actions whose service lives in a sub-package built on this one ("macro":
# tickets.responses), connected in TicketsConfig.ready(): importing it here would be a cycle.
BulkApply = Callable[[User, Ticket, object], object]
_CONNECTED: dict[str, BulkApply] = {}


def bulk_action_connect(action: str, apply: BulkApply) -> None:
    """Let ``apply(actor, ticket, value)`` carry out ``action`` on each ticket."""
    if action not in BULK_ACTIONS:
        raise ValueError(f"Unknown action {action!r}.")
    _CONNECTED[action] = apply


@transaction.atomic
def tickets_bulk(
    *, actor: User, tickets: Iterable[Ticket], action: str, value: object = None
) -> int:
    """Apply one action to many tickets; every change is still its own history event."""
    require(actor, Perm.TICKET_WORK)
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Unknown action %(action)r.") % {"action": action})
    count = 0
    for ticket in tickets:
        if action == "tag":
            names = sorted({*ticket.tags.values_list("name", flat=True), str(value)})
            ticket_update(actor=actor, ticket=ticket, changes={}, tags=names)
        elif action == "close":
            ticket_update(actor=actor, ticket=ticket, changes={"status": Status.CLOSED})
        elif action == "trash":  # checks who may, as from the ticket's page
            ticket_trash(actor=actor, ticket=ticket)
        elif action in _CONNECTED:
            _CONNECTED[action](actor, ticket, value)
        else:
            field = {"assign": "assignee"}.get(action, action)
            ticket_update(actor=actor, ticket=ticket, changes={field: value})
        count += 1
    return count
