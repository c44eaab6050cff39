"""What a webhook says about a ticket, a reply and a person: the fields an integrator needs,
in one place, so it can follow the REST API's shapes once they exist (tickets/api).

Every body is an envelope, as Standard Webhooks suggests:
``{"type": "ticket.created", "timestamp": "<ISO 8601 UTC>", "data": {...}}``.
Times are ISO 8601 in UTC with a trailing Z; people are ``{"email", "name"}`` or null.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import System
from tickets.models import Reply, Ticket


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _person(user: User | None) -> dict[str, str] | None:
    if user is None:
        return None
    return {"email": user.email, "name": user.get_full_name()}


def _requester(ticket: Ticket) -> dict[str, str] | None:
    if ticket.requester_id is not None:
        return _person(ticket.requester)
    if ticket.contact is not None:
        return {"email": ticket.contact.email, "name": ticket.contact.name}
    return None


def system_link(path: str) -> str:
    """An absolute URL on the current System's host."""
    system = System.objects.get(schema_name=current_schema())
    return tenant_selectors.system_url(system=system, path=path)


def ticket_data(ticket: Ticket, *, url: str) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "requester": _requester(ticket),
        "assignee": _person(ticket.assignee),
        "category": ticket.category.name if ticket.category is not None else None,
        "tags": sorted(ticket.tags.values_list("name", flat=True)),
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "url": url,
    }


def reply_data(reply: Reply) -> dict[str, Any]:
    """A public reply: its text as written (Markdown)."""
    author = _person(reply.author)
    contact = reply.author_contact
    if author is None and contact is not None:
        author = {"email": contact.email, "name": contact.name}
    return {
        "id": reply.pk,
        "author": author,
        "body": reply.body,
        "via_mail": reply.via_mail,
        "created_at": iso(reply.created_at),
    }


def person_data(user: User, **extra: Any) -> dict[str, Any]:
    return {"id": user.pk, "email": user.email, "name": user.get_full_name(), **extra}


def ticket_event_data(
    *,
    ticket: Ticket,
    actor: User | None,
    changes: list[str],
    reply: Reply | None,
    detail: dict[str, Any],
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ticket": ticket_data(ticket, url=system_link(f"/tickets/{ticket.number}/")),
        "actor": _person(actor),
    }
    if changes:
        data["changes"] = changes
    if reply is not None:
        data["reply"] = reply_data(reply)
    if "target" in detail:  # ticket.sla_breached
        data["sla"] = {"target": detail["target"], "due_at": iso(detail["due_at"])}
    return data


def body(event: str, data: dict[str, Any], *, at: datetime | None = None) -> str:
    """The JSON text sent: compact, keys in a fixed order."""
    envelope = {"type": event, "timestamp": iso(at or timezone.now()), "data": data}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
