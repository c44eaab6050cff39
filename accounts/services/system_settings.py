"""The owner's settings of his System (name, idle timeout, invitation expiry, language and
time zone, second factor)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.hooks import system_time_zone_changed
from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.selectors import has_second_factor
from accounts.services.audit import audit_record
from servicedesk.locales import validate_language, validate_time_zone
from servicedesk.schema import current_schema
from tenants.models import System


@transaction.atomic
def system_settings_update(
    *,
    actor,
    name: str,
    idle_timeout_minutes: int,
    invite_expiry_days: int,
    language: str | None = None,
    time_zone: str | None = None,
    ip: str | None,
) -> System:
    """The owner's settings; ``language`` and ``time_zone`` (the defaults of the System's
    people) are kept when None."""
    require(actor, Perm.CHANGE_SETTINGS)
    system = System.objects.select_for_update().get(schema_name=current_schema())
    before = {
        "name": system.name,
        "idle_timeout_minutes": system.idle_timeout_minutes,
        "invite_expiry_days": system.invite_expiry_days,
        "language": system.language,
        "time_zone": system.time_zone,
    }
    system.name = name.strip()
    system.idle_timeout_minutes = idle_timeout_minutes
    system.invite_expiry_days = invite_expiry_days
    if language is not None:
        system.language = language
    if time_zone is not None:
        system.time_zone = time_zone
    errors = {}
    for field, validate in (("language", validate_language), ("time_zone", validate_time_zone)):
        try:
            validate(getattr(system, field))
        except ValidationError as error:
            errors[field] = error.messages
    if not system.language:
        errors["language"] = [gettext("Choose one of the offered languages.")]
    if not system.time_zone:
        errors["time_zone"] = [gettext("Choose a time zone.")]
    if errors:
        raise ValidationError(errors)
    system.save(update_fields=list(before))
    after = {key: getattr(system, key) for key in before}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changed:
        audit_record(action=AuditEvent.Action.SETTINGS_CHANGED, actor=actor, ip=ip, detail=changed)
    if "time_zone" in changed:
        # Business hours count in this zone: the apps above recompute what depends on it.
        system_time_zone_changed.send(sender=System, system=system)
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
            gettext(
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
