"""Where events become deliveries: receivers of tickets.hooks.ticket_event and of accounts'
person_joined / person_left, connected in TicketsConfig.ready(). Each runs inside the
change's transaction: its rows commit with it, or vanish with a rollback."""

from __future__ import annotations

from typing import Any

from tickets.webhooks import payloads
from tickets.webhooks.services.deliveries import deliveries_create


def on_ticket_event(
    sender: Any,
    *,
    event: str,
    ticket: Any,
    actor: Any,
    changes: list[str],
    reply: Any,
    detail: dict[str, Any],
    **kwargs: Any,
) -> None:
    deliveries_create(
        event=event,
        data=lambda: payloads.ticket_event_data(
            ticket=ticket, actor=actor, changes=changes, reply=reply, detail=detail
        ),
    )


def on_person_joined(sender: Any, *, user: Any, **kwargs: Any) -> None:
    deliveries_create(
        event="person.joined", data=lambda: {"person": payloads.person_data(user, role=user.role)}
    )


def on_person_left(sender: Any, *, user: Any, reason: str, **kwargs: Any) -> None:
    deliveries_create(
        event="person.left",
        data=lambda: {"person": payloads.person_data(user, role=user.role), "reason": reason},
    )
