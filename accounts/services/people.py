"""Roles and ownership."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Role, User
from accounts.permissions import Perm, assignable_roles, require
from accounts.services.audit import audit_record
from accounts.services.seats import system_lock
from servicedesk.locales import validate_language, validate_time_zone


@transaction.atomic
def user_change_role(*, actor: User, user: User, role: str, ip: str | None = None) -> User:
    require(actor, Perm.CHANGE_ROLE, user)
    if role not in assignable_roles(actor):
        raise ValidationError({"role": _("Choose admin, agent or member.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role == role:
        return user
    before = user.role
    user.role = role
    user.save(update_fields=["role"])
    audit_record(
        action=AuditEvent.Action.ROLE_CHANGED,
        actor=actor,
        target=user.email,
        ip=ip,
        detail={"from": before, "to": role},
    )
    return user


@transaction.atomic
def ownership_transfer(
    *, actor: User | None, new_owner: User, ip: str | None = None, actor_label: str | None = None
) -> User:
    """Make ``new_owner`` the System's one owner; the previous owner becomes an admin.

    ``actor`` is the current owner, or None when the operator decides a dispute (then
    ``actor_label`` names the operator).
    """
    if actor is not None:
        require(actor, Perm.TRANSFER_OWNERSHIP, new_owner)
    system = system_lock()
    new_owner = User.objects.select_for_update().get(pk=new_owner.pk)
    if not new_owner.is_active:
        raise ValidationError(_("The new owner's account must be active."))
    previous = User.objects.select_for_update().filter(role=Role.OWNER).first()
    if previous == new_owner:
        return new_owner
    if previous is not None:
        previous.role = Role.ADMIN
        previous.save(update_fields=["role"])
    new_owner.role = Role.OWNER
    new_owner.save(update_fields=["role"])
    system.owner_email = new_owner.email
    system.save(update_fields=["owner_email"])
    audit_record(
        action=AuditEvent.Action.OWNERSHIP_TRANSFERRED,
        actor=actor,
        actor_label_override=actor_label,
        target=new_owner.email,
        ip=ip,
        detail={"from": previous.email if previous else None, "to": new_owner.email},
    )
    return new_owner


@transaction.atomic
def profile_update(
    *,
    actor: User,
    full_name: str,
    phone: str,
    language: str | None = None,
    time_zone: str | None = None,
    ip: str | None = None,
) -> User:
    """A person changes his own name, phone number (``phone`` already in E.164), language
    and time zone ("" gives them back to the browser and the System; None keeps them)."""
    errors = {}
    for field, value, validate in (
        ("language", language, validate_language),
        ("time_zone", time_zone, validate_time_zone),
    ):
        try:
            validate(value or "")
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = {
        "full_name": user.full_name,
        "phone": user.phone,
        "language": user.language,
        "time_zone": user.time_zone,
    }
    user.full_name, user.phone = full_name.strip(), phone
    if language is not None:
        user.language = language
    if time_zone is not None:
        user.time_zone = time_zone
    changed = {
        key: [value, getattr(user, key)]
        for key, value in before.items()
        if value != getattr(user, key)
    }
    if changed:
        user.save(update_fields=list(changed))
        audit_record(
            action=AuditEvent.Action.PROFILE_CHANGED,
            actor=user,
            target=user.email,
            ip=ip,
            detail=changed,
        )
    return user


def announcements_preference_set(*, user: User, receives: bool) -> None:
    """A person takes feature announcements, or not, whatever his System agreed to."""
    User.objects.filter(pk=user.pk).update(receives_announcements=receives)


def language_preference_set(*, user: User, language: str) -> None:
    """A person picks the language of his pages and mail ("" gives the choice back to the
    browser and the System)."""
    validate_language(language)
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
