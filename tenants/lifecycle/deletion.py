"""Deleting a whole System, at its owner's request.

The owner re-enters his password and types the subdomain; the deletion is then scheduled
SYSTEM_DELETION_GRACE_DAYS ahead (a ScheduledDeletion row, at most one pending per System)
and he is emailed an undo link whose token is stored only as its SHA-256. Until then every
page of the System shows a banner, and the owner can undo it (and schedule it again). Once
due, the subdomain answers 404 at once (tenants.selectors.system_for_host), and a beat job
carries it out through lifecycle.system_delete: schema, files, domains and pending exports
go; the operator keeps invoices and the SystemDeletion record; the owner gets a last email.
Backups are left to expire by their retention.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import actor_label, audit_record
from servicedesk import mail
from servicedesk.tokens import new_token, token_hash
from tenants import selectors
from tenants.lifecycle import services as lifecycle
from tenants.lifecycle.models import SystemDeletion
from tenants.models import ScheduledDeletion, System


def deletion_pending(*, system: System) -> ScheduledDeletion | None:
    return ScheduledDeletion.objects.filter(system_id=system.pk, cancelled_at__isnull=True).first()


def _undo_url(system: System, token: str) -> str:
    return selectors.system_url(system=system, path=f"/settings/delete/undo/{token}/")


@transaction.atomic
def deletion_schedule(
    *, actor: User, system: System, password: str, subdomain: str, ip: str | None = None
) -> ScheduledDeletion:
    """Schedule the deletion of ``system``; email the owner an undo link."""
    require(actor, Perm.DELETE_SYSTEM)
    errors = {}
    if not actor.check_password(password):
        errors["password"] = [_("That is not your password.")]
    if subdomain.strip().lower() != (system.slug or ""):
        errors["subdomain"] = [_("Type %(slug)s to confirm.") % {"slug": system.slug}]
    if errors:
        raise ValidationError(errors)
    with schema_context(get_public_schema_name()):
        locked = System.objects.select_for_update().get(pk=system.pk)
        if deletion_pending(system=locked) is not None:
            raise ValidationError(_("The deletion of this help desk is already scheduled."))
        token, digest = new_token()
        now = timezone.now()
        deletion = ScheduledDeletion.objects.create(
            system=locked,
            requested_by_id=actor.pk,
            requested_by_label=actor_label(actor),
            requested_by_email=actor.email,
            requested_at=now,
            due_at=now + timedelta(days=settings.SYSTEM_DELETION_GRACE_DAYS),
            undo_token_hash=digest,
        )
    audit_record(
        action=AuditEvent.Action.DELETION_SCHEDULED,
        actor=actor,
        target=locked.slug or "",
        ip=ip,
        detail={"due_at": deletion.due_at.isoformat()},
    )
    mail.send_templated(
        to=[actor.email],
        template="system_deletion_scheduled",
        essential=True,
        context={
            "system": locked,
            "deletion": deletion,
            "undo_url": _undo_url(locked, token),
            "grace_days": settings.SYSTEM_DELETION_GRACE_DAYS,
        },
    )
    return deletion


@transaction.atomic
def deletion_cancel(
    *, actor: User, system: System, token: str | None = None, ip: str | None = None
) -> ScheduledDeletion:
    """Undo the pending deletion (the owner, signed in; with the emailed token if given)."""
    require(actor, Perm.DELETE_SYSTEM)
    with schema_context(get_public_schema_name()):
        pending = (
            ScheduledDeletion.objects.select_for_update()
            .filter(system_id=system.pk, cancelled_at__isnull=True)
            .first()
        )
        if pending is None or (token is not None and token_hash(token) != pending.undo_token_hash):
            raise ValidationError(_("There is no pending deletion for this link."))
        if pending.due_at <= timezone.now():
            raise ValidationError(_("It is too late: the deletion is under way."))
        pending.cancelled_at = timezone.now()
        pending.cancelled_by = actor_label(actor)
        pending.save(update_fields=["cancelled_at", "cancelled_by"])
    audit_record(
        action=AuditEvent.Action.DELETION_CANCELLED,
        actor=actor,
        target=system.slug or "",
        ip=ip,
        detail={"was_due_at": pending.due_at.isoformat()},
    )
    mail.send_templated(
        to=[actor.email],
        template="system_deletion_cancelled",
        essential=True,
        context={"system": system, "deletion": pending},
    )
    return pending


def deletion_check_token(*, system: System, token: str) -> ScheduledDeletion | None:
    """The pending deletion the emailed token undoes, if it still does."""
    return ScheduledDeletion.objects.filter(
        system_id=system.pk, cancelled_at__isnull=True, undo_token_hash=token_hash(token)
    ).first()


# --- carrying it out (beat) ---------------------------------------------------------------


def deletions_due(*, as_of: datetime | None = None) -> list[int]:
    return list(
        ScheduledDeletion.objects.filter(
            cancelled_at__isnull=True, due_at__lte=as_of or timezone.now()
        ).values_list("pk", flat=True)
    )


def deletion_carry_out(*, deletion_id: int, as_of: datetime | None = None) -> SystemDeletion | None:
    """Delete the System of a due deletion. Run twice, or by two workers at once, it
    deletes once: the row is taken with SKIP LOCKED and is gone with its System after."""
    with schema_context(get_public_schema_name()), transaction.atomic():
        deletion = (
            ScheduledDeletion.objects.select_for_update(skip_locked=True)
            .select_related("system")
            .filter(pk=deletion_id, cancelled_at__isnull=True, due_at__lte=as_of or timezone.now())
            .first()
        )
        if deletion is None:
            return None
        system = deletion.system
        record = lifecycle.system_delete(
            system=system,
            reason="Its owner asked for the deletion "
            f"on {deletion.requested_at:%Y-%m-%d} ({deletion.requested_by_email}).",
            by=f"Owner ({deletion.requested_by_email})",
        )
    return record
