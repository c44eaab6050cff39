"""Restore requests: a System's owner or admin asks the operator to bring the help desk
back to a backup; the operator owes an answer within one working day (the terms)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import actor_label, audit_record
from servicedesk import mail
from servicedesk.schema import current_schema
from tenants import selectors
from tenants.backups.models import Backup, RestoreRequest
from tenants.backups.services import backups
from tenants.backups.services.calendar import one_working_day_after
from tenants.models import System

OPEN_STATUSES = (RestoreRequest.Status.OPEN, RestoreRequest.Status.IN_PROGRESS)


@transaction.atomic
def restore_request_create(
    *,
    actor: User,
    reason: str,
    backup_id: int | None = None,
    point_in_time: datetime | None = None,
    ip: str | None = None,
) -> RestoreRequest:
    """Ask for a restore of the current System to a backup or to a moment."""
    require(actor, Perm.REQUEST_RESTORE)
    system = System.objects.select_for_update().get(schema_name=current_schema())
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what went wrong, so we restore the right thing.")})
    if (backup_id is None) == (point_in_time is None):
        raise ValidationError(_("Choose a backup or a point in time (one of the two)."))
    backup = None
    if backup_id is not None:
        backup = Backup.objects.filter(pk=backup_id, system=system, status=Backup.Status.OK).first()
        if backup is None:
            raise ValidationError({"backup": _("That backup is no longer available.")})
    if point_in_time is not None and point_in_time > timezone.now():
        raise ValidationError({"point_in_time": _("Choose a moment in the past.")})
    if system.restore_requests.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("A restore request is already waiting; we'll answer it first."))
    now = timezone.now()
    request = RestoreRequest.objects.create(
        system=system,
        backup=backup,
        point_in_time=point_in_time,
        reason=reason,
        created_at=now,
        due_at=one_working_day_after(now),
        requested_by_id=actor.pk,
        requested_by_label=actor_label(actor),
        requested_by_email=actor.email,
    )
    audit_record(
        action=AuditEvent.Action.RESTORE_REQUESTED,
        actor=actor,
        target=f"restore request #{request.pk}",
        ip=ip,
        detail={"backup_id": backup_id, "point_in_time": str(point_in_time or "")},
    )
    with schema_context("public"):
        backups.operators_alert(
            template="restore_requested", context={"request": request, "system": system}
        )
    return request


def backup_for_request(*, request: RestoreRequest) -> Backup | None:
    """The backup a request points at: the chosen one, or the last before its moment."""
    if request.backup_id:
        return Backup.objects.filter(pk=request.backup_id, status=Backup.Status.OK).first()
    if request.point_in_time is None:
        return None
    return (
        Backup.objects.filter(
            system_id=request.system_id,
            status=Backup.Status.OK,
            started_at__lte=request.point_in_time,
        )
        .order_by("-started_at", "-id")
        .first()
    )


def restore_request_answer_check(*, status: str, note: str) -> None:
    if status not in RestoreRequest.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == RestoreRequest.Status.REJECTED and not note.strip():
        raise ValidationError({"operator_note": _("Say why, the customer reads it.")})


@transaction.atomic
def restore_request_answer(
    *, request: RestoreRequest, operator: str, status: str, note: str
) -> RestoreRequest:
    """The operator answers (declines, or records progress) with a note the customer sees."""
    restore_request_answer_check(status=status, note=note)
    request = RestoreRequest.objects.select_for_update().select_related("system").get(pk=request.pk)
    request.status = status
    request.operator_note = note.strip()
    request.handled_by = operator
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "operator_note", "handled_by", "handled_at"])
    with schema_context(request.system.schema_name):
        audit_record(
            action=AuditEvent.Action.RESTORE_ANSWERED,
            actor_label_override=f"Operator ({operator})",
            target=f"restore request #{request.pk}",
            detail={"status": status},
        )
        mail.send_templated(
            to=[request.requested_by_email],
            template="restore_answered",
            essential=True,
            context={
                "request": request,
                "system": request.system,
                "url": selectors.system_url(system=request.system, path="/settings/restore/"),
            },
        )
    return request


def restore_requests_alert_overdue(*, now: datetime | None = None) -> int:
    """Beat: email the operators once about each request past its deadline."""
    now = now or timezone.now()
    count = 0
    overdue = RestoreRequest.objects.filter(
        status__in=OPEN_STATUSES, due_at__lt=now, overdue_alerted_at__isnull=True
    ).select_related("system")
    for request in overdue:
        with transaction.atomic():
            claimed = RestoreRequest.objects.filter(
                pk=request.pk, overdue_alerted_at__isnull=True
            ).update(overdue_alerted_at=now)
            if not claimed:
                continue
            backups.operators_alert(
                template="restore_overdue", context={"request": request, "system": request.system}
            )
            count += 1
    return count
