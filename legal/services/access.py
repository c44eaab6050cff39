"""Operator access to a System's data: never silent.

An operator states a reason and a note and gets a grant for a limited time; the System's
owner and admins are emailed at once, see every grant with what it opened on their
"Operator access" page, and see when it ended or expired.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, Role, User
from accounts.services.audit import audit_record
from legal.models import OperatorAccess, OperatorAccessView
from servicedesk import mail
from tenants import selectors as tenant_selectors
from tenants.models import System

DEFAULT_MINUTES = 60
MAX_MINUTES = 8 * 60


def _operator_label(email: str) -> str:
    return f"Operator ({email})"


@transaction.atomic
def access_grant(
    *, operator: User, system: System, reason: str, note: str, minutes: int = DEFAULT_MINUTES
) -> OperatorAccess:
    if reason not in OperatorAccess.Reason.values:
        raise ValidationError({"reason": _("Choose why you need access.")})
    if not note.strip():
        raise ValidationError(
            {"note": _("Say what you will look at and why; the customer reads it.")}
        )
    if not 5 <= minutes <= MAX_MINUTES:
        raise ValidationError(
            {"minutes": _("Between 5 and %(most)s minutes.") % {"most": MAX_MINUTES}}
        )
    now = timezone.now()
    access = OperatorAccess.objects.create(
        system=system,
        operator_email=operator.email,
        operator_id=operator.pk,
        reason=reason,
        note=note.strip(),
        granted_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    with schema_context(system.schema_name):
        audit_record(
            action=AuditEvent.Action.OPERATOR_ACCESS_GRANTED,
            actor_label_override=_operator_label(operator.email),
            target=access.get_reason_display(),
            detail={"note": access.note, "until": access.expires_at.isoformat()},
        )
        admins = User.objects.filter(role__in=[Role.OWNER, Role.ADMIN], is_active=True).values_list(
            "email", flat=True
        )
        mail.send_templated(
            to=list(admins),
            template="operator_access",
            context={
                "system": system,
                "access": access,
                "page_url": tenant_selectors.system_url(
                    system=system, path="/settings/operator-access/"
                ),
            },
        )
    return access


def access_log_view(*, access: OperatorAccess, what: str) -> None:
    OperatorAccessView.objects.create(access=access, what=what[:300])


def _close(access: OperatorAccess, *, at, cause: str) -> None:
    OperatorAccess.objects.filter(pk=access.pk, ended_at__isnull=True).update(
        ended_at=at, end_cause=cause
    )
    with schema_context(access.system.schema_name):
        audit_record(
            action=AuditEvent.Action.OPERATOR_ACCESS_ENDED,
            actor_label_override=_operator_label(access.operator_email),
            target=access.get_reason_display(),
            detail={"cause": cause, "views": access.views.count()},
        )


@transaction.atomic
def access_end(*, access: OperatorAccess) -> OperatorAccess:
    access = OperatorAccess.objects.select_for_update().select_related("system").get(pk=access.pk)
    if access.ended_at is None:
        _close(access, at=timezone.now(), cause="ended")
        access.refresh_from_db()
    return access


@transaction.atomic
def accesses_expire() -> int:
    """Beat job: record the expiry of grants whose time ran out (once each)."""
    expired = (
        OperatorAccess.objects.select_for_update(skip_locked=True)
        .select_related("system")
        .filter(ended_at__isnull=True, expires_at__lte=timezone.now())
    )
    count = 0
    for access in expired:
        _close(access, at=access.expires_at, cause="expired")
        count += 1
    return count
