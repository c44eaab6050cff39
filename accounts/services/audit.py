from __future__ import annotations

from accounts.models import AuditEvent, User
from servicedesk.schema import in_public_schema


def actor_label(user: User | None) -> str:
    if user is None:
        return "System"
    return f"{user.get_full_name()} <{user.email}>" if user.full_name else user.email


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    actor_label_override: str | None = None,
    target: str = "",
    ip: str | None = None,
    detail: dict | None = None,
) -> AuditEvent | None:
    """Append one event to the current System's audit log (no-op in the public schema,
    where operators' own actions are kept by Django admin's log)."""
    if in_public_schema():
        return None
    return AuditEvent.objects.create(
        action=action,
        actor_id=actor.pk if actor else None,
        actor_label=actor_label_override or actor_label(actor),
        target_label=target[:200],
        ip=ip,
        detail=detail or {},
    )
