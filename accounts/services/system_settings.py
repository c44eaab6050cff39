"""The owner's settings of his System (name, idle timeout, invitation expiry, second factor)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.selectors import has_second_factor
from accounts.services.audit import audit_record
from servicedesk.schema import current_schema
from tenants.models import System


@transaction.atomic
def system_settings_update(
    *, actor, name: str, idle_timeout_minutes: int, invite_expiry_days: int, ip: str | None
) -> System:
    require(actor, Perm.CHANGE_SETTINGS)
    system = System.objects.select_for_update().get(schema_name=current_schema())
    before = {
        "name": system.name,
        "idle_timeout_minutes": system.idle_timeout_minutes,
        "invite_expiry_days": system.invite_expiry_days,
    }
    system.name = name.strip()
    system.idle_timeout_minutes = idle_timeout_minutes
    system.invite_expiry_days = invite_expiry_days
    system.save(update_fields=["name", "idle_timeout_minutes", "invite_expiry_days"])
    after = {key: getattr(system, key) for key in before}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changed:
        audit_record(action=AuditEvent.Action.SETTINGS_CHANGED, actor=actor, ip=ip, detail=changed)
    return system


@transaction.atomic
def second_factor_requirement_set(*, actor: User, required: bool, ip: str | None) -> System:
    """The owner requires (or stops requiring) a second factor of everyone in the System.

    He must have one himself first: otherwise the switch would send him, mid-change, to set
    one up, and an owner who cannot finish that would have locked out his own help desk.
    """
    require(actor, Perm.CHANGE_SETTINGS)
    if required and not has_second_factor(user=actor):
        raise ValidationError(
            _(
                "Set up two-factor authentication for your own account first, then require it "
                "of everyone."
            )
        )
    system = System.objects.select_for_update().get(schema_name=current_schema())
    if system.require_second_factor != required:
        system.require_second_factor = required
        system.save(update_fields=["require_second_factor"])
        audit_record(
            action=AuditEvent.Action.SETTINGS_CHANGED,
            actor=actor,
            ip=ip,
            detail={"require_second_factor": [not required, required]},
        )
    return system
