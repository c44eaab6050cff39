"""What the operator does to a System's accounts from admin. Each action is written to
that System's own audit log, so its owner and admins see it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import AccountDispute, AuditEvent, User
from accounts.services.audit import audit_record
from accounts.services.people import ownership_transfer
from accounts.services.seats import seat_cap_check
from accounts.services.security import sessions_end_all
from tenants.models import System


def _operator(label: str) -> str:
    return f"Operator ({label})"


def _account(email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(_("No account %(email)s in this System.") % {"email": email})
    return user


@transaction.atomic
def user_suspend(*, system: System, email: str, reason: str, operator: str) -> User:
    if not reason.strip():
        raise ValidationError(_("Give the reason; the person will see it."))
    with schema_context(system.schema_name):
        user = _account(email)
        user.suspended_at = timezone.now()
        user.suspension_reason = reason.strip()
        user.save(update_fields=["suspended_at", "suspension_reason"])
        sessions_end_all(user=user)
        audit_record(
            action=AuditEvent.Action.USER_SUSPENDED,
            actor_label_override=_operator(operator),
            target=user.email,
            detail={"reason": reason.strip()},
        )
    return user


@transaction.atomic
def user_unsuspend(*, system: System, email: str, operator: str) -> User:
    with schema_context(system.schema_name):
        user = _account(email)
        user.suspended_at = None
        user.suspension_reason = ""
        user.save(update_fields=["suspended_at", "suspension_reason"])
        audit_record(
            action=AuditEvent.Action.USER_UNSUSPENDED,
            actor_label_override=_operator(operator),
            target=user.email,
        )
    return user


@transaction.atomic
def seat_cap_set(*, system: System, cap: int, operator: str) -> System:
    system = System.objects.select_for_update().get(pk=system.pk)
    seat_cap_check(system=system, cap=cap)
    before = system.seat_cap
    if cap == before:
        return system
    system.seat_cap = cap
    system.save(update_fields=["seat_cap"])
    with schema_context(system.schema_name):
        audit_record(
            action=AuditEvent.Action.SEAT_CAP_CHANGED,
            actor_label_override=_operator(operator),
            detail={"from": before, "to": cap},
        )
    return system


@transaction.atomic
def dispute_decide(
    *, dispute: AccountDispute, decision: str, new_owner_email: str, operator: str
) -> AccountDispute:
    """Record the decision; when it names a new owner, transfer ownership to that account."""
    dispute = AccountDispute.objects.select_for_update().select_related("system").get(pk=dispute.pk)
    if dispute.status == AccountDispute.Status.DECIDED:
        raise ValidationError(_("This dispute is already decided."))
    if not decision.strip():
        raise ValidationError(_("Write the decision down."))
    if new_owner_email.strip():
        with schema_context(dispute.system.schema_name):
            ownership_transfer(
                actor=None,
                new_owner=_account(new_owner_email),
                actor_label=_operator(f"{operator}, dispute #{dispute.pk}"),
            )
    dispute.status = AccountDispute.Status.DECIDED
    dispute.decision = decision.strip()
    dispute.new_owner_email = new_owner_email.strip().lower()
    dispute.decided_at = timezone.now()
    dispute.decided_by = operator
    dispute.save()
    return dispute
