"""What happens to tickets, told to whoever listens (webhooks, in tickets.webhooks): one
signal, sent by the services inside the transaction that made the change, so a receiver's
rows commit or roll back with it. Receivers connect in TicketsConfig.ready(); the services
never import them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.dispatch import Signal

# event ("ticket.created", "ticket.updated", "ticket.replied", "ticket.solved",
# "ticket.sla_breached"), ticket, actor (None: a contact by mail, or the System itself),
# changes (the fields an update wrote), reply (ticket.replied), detail (event-specific: the
# SLA target that was missed).
ticket_event = Signal()

# What an update reports as changed (not the bookkeeping columns written with them); custom
# fields ("cf_<key>") by their key.
_REPORTED = {"status", "priority", "assignee", "category", "due_on", "subject", "tags"}


def _send(event: str, ticket: Any, actor: Any, **kwargs: Any) -> None:
    kwargs.setdefault("changes", [])
    kwargs.setdefault("reply", None)
    kwargs.setdefault("detail", {})
    ticket_event.send(sender=type(ticket), event=event, ticket=ticket, actor=actor, **kwargs)


def ticket_created(*, ticket: Any, actor: Any) -> None:
    _send("ticket.created", ticket, actor)


def ticket_changed(*, ticket: Any, actor: Any, changed: Iterable[str]) -> None:
    """After an update is saved: ticket.updated, and ticket.solved when it became solved."""
    changes = sorted({field for field in changed if field in _REPORTED or field.startswith("cf_")})
    if not changes:
        return
    _send("ticket.updated", ticket, actor, changes=changes)
    if "status" in changes and ticket.status == "solved":
        _send("ticket.solved", ticket, actor, changes=changes)


def ticket_replied(*, ticket: Any, actor: Any, reply: Any) -> None:
    """A public reply (internal notes are staff's own and tell nobody outside)."""
    _send("ticket.replied", ticket, actor, reply=reply)


def ticket_sla_breached(*, ticket: Any, target: str, due_at: Any) -> None:
    _send("ticket.sla_breached", ticket, None, detail={"target": target, "due_at": due_at})
