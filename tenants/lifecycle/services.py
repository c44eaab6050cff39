"""The lifecycle of a System: one state machine, the only writer of ``System.status``.

    trial ──plan chosen + first invoice paid──▶ active ──invoice unpaid past grace──▶ suspended
      │                                          ▲                                      │
      └──trial over without a subscription──▶ terminated      └──────payment recorded──┘
                                                 │
                                   retention over ▼
                                               deleted (schema, files, domain; invoices stay)

Every transition locks the System's row and checks where it stands, so running a job
twice, or two workers at once, changes nothing the second time. Each one is written to
LifecycleEvent (public), to the System's audit log, and emailed to the owner. The daily
job runs per System and never looks at another one.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import AuditEvent
from accounts.selectors import admin_emails, owner_emails
from accounts.services.audit import audit_record
from servicedesk import mail
from tenants import selectors
from tenants.billing.models import Invoice
from tenants.billing.services import BILLING
from tenants.lifecycle.models import LifecycleEvent, LifecycleNotice, SystemDeletion
from tenants.models import System

Status = System.Status
# Sent once a System and its schema are gone (after commit), so what keeps files of its
# elsewhere (export archives) removes them; tenants.apps wires the receivers.
system_deleted = Signal()

# Which moves each named transition may make.
ALLOWED = {
    "activate": ({Status.TRIAL, Status.SUSPENDED}, Status.ACTIVE),
    "suspend": ({Status.TRIAL, Status.ACTIVE}, Status.SUSPENDED),
    "resume": ({Status.SUSPENDED}, Status.ACTIVE),
    "terminate": ({Status.TRIAL, Status.ACTIVE, Status.SUSPENDED}, Status.TERMINATED),
}
TRIAL_REMINDER_DAYS = (7, 3, 1)


def _tell(system: System, template: str, *, to: list[str] | None = None, **context) -> None:
    with schema_context(system.schema_name):
        mail.send_templated(
            to=to if to is not None else owner_emails(system=system),
            template=template,
            essential=True,
            context={
                "system": system,
                "billing_url": selectors.system_url(system=system, path="/billing/"),
                "export_url": selectors.system_url(system=system, path="/settings/export/"),
                "operator_email": settings.OPERATOR_EMAIL,
                **context,
            },
        )


@transaction.atomic
def transition(
    *, system_id: int, name: str, reason: str, actor: str, at: datetime | None = None
) -> bool:
    """Make transition ``name`` if the System stands where it may start; True if it did."""
    allowed_from, to = ALLOWED[name]
    at = at or timezone.now()
    system = System.objects.select_for_update().get(pk=system_id)
    if system.status not in allowed_from:
        return False
    before = system.status
    system.status = to
    system.status_changed_at = at
    system.status_reason = reason
    if to == Status.TERMINATED:
        system.retention_until = at + timedelta(days=settings.RETENTION_DAYS)
    elif to == Status.ACTIVE:
        system.retention_until = None
    system.save(update_fields=["status", "status_changed_at", "status_reason", "retention_until"])
    LifecycleEvent.objects.create(
        system=system,
        system_slug=system.slug or "",
        from_status=before,
        to_status=to,
        reason=reason,
        actor=actor,
        at=at,
    )
    # The audit log stores this text: in English whatever language the actor reads.
    with override(None):
        target = f"{Status(before).label} → {Status(to).label}"
    with schema_context(system.schema_name):
        audit_record(
            action=AuditEvent.Action.SYSTEM_STATUS_CHANGED,
            actor_label_override=actor,
            target=target,
            detail={"reason": reason},
        )
    recipients = admin_emails(system=system) if to == Status.SUSPENDED else None
    _tell(system, f"system_{to}", to=recipients, reason=reason, before=Status(before).label)
    return True


# --- the operator's hand ------------------------------------------------------------------


def _need_reason(reason: str) -> str:

    if not reason.strip():
        raise ValidationError(_("Give the reason; the customer is told."))
    return reason.strip()


def system_suspend(*, system: System, reason: str, operator: str) -> bool:
    return transition(
        system_id=system.pk,
        name="suspend",
        reason=_need_reason(reason),
        actor=f"Operator ({operator})",
    )


def system_resume(*, system: System, reason: str, operator: str) -> bool:
    return transition(
        system_id=system.pk,
        name="resume",
        reason=_need_reason(reason),
        actor=f"Operator ({operator})",
    )


def system_terminate(*, system: System, reason: str, operator: str) -> bool:
    return transition(
        system_id=system.pk,
        name="terminate",
        reason=_need_reason(reason),
        actor=f"Operator ({operator})",
    )


def trial_start(*, system: System, days: int) -> System:
    """A System just claimed from the pool starts its trial (in the claim's transaction)."""
    if system.status != Status.POOLED:
        raise ValueError(f"{system} is {system.status}, not a freshly claimed System.")
    now = timezone.now()
    system.status = Status.TRIAL
    system.status_changed_at = now
    system.trial_ends_at = now + timedelta(days=days)
    # An update, not save(): a System can be started from another System's schema (its
    # owner opening another), where django-tenants refuses to save a tenant.
    System.objects.filter(pk=system.pk).update(
        status=system.status,
        status_changed_at=system.status_changed_at,
        trial_ends_at=system.trial_ends_at,
    )
    return system


@transaction.atomic
def trial_extend(*, system: System, days: int, operator: str) -> System:

    system = System.objects.select_for_update().get(pk=system.pk)
    if system.status != Status.TRIAL:
        raise ValidationError(_("Only a System in trial can have its trial extended."))
    if not 1 <= days <= 90:
        raise ValidationError(_("Extend by 1 to 90 days."))
    base = max(system.trial_ends_at or timezone.now(), timezone.now())
    system.trial_ends_at = base + timedelta(days=days)
    system.save(update_fields=["trial_ends_at"])
    # Reminders count down again towards the new end.
    LifecycleNotice.objects.filter(system=system, kind="trial_ends").delete()
    with schema_context(system.schema_name):
        audit_record(
            action=AuditEvent.Action.SYSTEM_STATUS_CHANGED,
            actor_label_override=f"Operator ({operator})",
            target="Trial extended",
            detail={"until": system.trial_ends_at.isoformat()},
        )
    _tell(system, "trial_extended")
    return system


# --- the daily checks, one System at a time --------------------------------------------------


def _notice_once(system: System, kind: str, key: str, at: datetime) -> bool:
    """Record that notice (kind, key) went out; False if it already had."""
    _notice, created = LifecycleNotice.objects.get_or_create(
        system=system, kind=kind, key=key, defaults={"sent_at": at}
    )
    return created


def _first_invoice_open(system: System) -> Invoice | None:
    return system.invoices.filter(billed_in_advance=True, status=Invoice.Status.OPEN).first()


def _has_paid_plan(system: System) -> bool:
    return system.invoices.filter(status=Invoice.Status.PAID).exists()


@transaction.atomic
def trial_check(*, system: System, as_of: datetime) -> None:
    if system.status != Status.TRIAL or system.trial_ends_at is None:
        return
    left = system.trial_ends_at - as_of
    for days in TRIAL_REMINDER_DAYS:
        if timedelta(0) < left <= timedelta(days=days) and _notice_once(
            system, "trial_ends", str(days), as_of
        ):
            _tell(system, "trial_ending", days=max(1, left.days + (1 if left.seconds else 0)))
            break
    if left > timedelta(0):
        return
    first = _first_invoice_open(system)
    grace_over = (
        first is not None and first.due_at + timedelta(days=settings.SUSPEND_GRACE_DAYS) <= as_of
    )
    if _has_paid_plan(system):
        transition(
            system_id=system.pk,
            name="activate",
            # Reasons are stored in English; pages translate the ones we wrote.
            reason=gettext_noop("The first invoice is paid."),
            actor=BILLING,
            at=as_of,
        )
    elif first is None or grace_over:
        transition(
            system_id=system.pk,
            name="terminate",
            reason=gettext_noop("The trial ended without a subscription."),
            actor=BILLING,
            at=as_of,
        )


@transaction.atomic
def payment_check(*, system: System, as_of: datetime) -> None:
    """Overdue invoices: reminders, then suspension after the grace period."""
    if system.status not in {Status.ACTIVE, Status.SUSPENDED}:
        return
    grace = timedelta(days=settings.SUSPEND_GRACE_DAYS)
    for invoice in system.invoices.filter(status=Invoice.Status.OPEN, due_at__lte=as_of).order_by(
        "due_at"
    ):
        late = as_of - invoice.due_at
        steps = [
            ("overdue", timedelta(0)),
            ("second", timedelta(days=7)),
            ("last", grace - timedelta(days=1)),
        ]
        for key, after in reversed(steps):
            if late >= after:
                if _notice_once(system, "invoice_overdue", f"{invoice.number}:{key}", as_of):
                    _tell(
                        system,
                        "invoice_overdue",
                        to=admin_emails(system=system),
                        invoice=invoice,
                        step=key,
                        suspend_on=invoice.due_at + grace,
                    )
                break
        if late >= grace and system.status == Status.ACTIVE:
            transition(
                system_id=system.pk,
                name="suspend",
                reason=f"Invoice {invoice.number} is unpaid {grace.days} days after it was due.",
                actor=BILLING,
                at=as_of,
            )
            return


def retention_check(*, system: System, as_of: datetime) -> bool:
    """Terminated Systems: warn the owner a week ahead, then delete. True if deleted."""
    if system.status != Status.TERMINATED or system.retention_until is None:
        return False
    if system.retention_until - timedelta(days=7) <= as_of < system.retention_until:
        if _notice_once(system, "deletion_soon", "", as_of):
            _tell(system, "deletion_soon", until=system.retention_until)
        return False
    if as_of >= system.retention_until:
        system_delete(
            system=system, reason="The retention period after termination ended.", by=BILLING
        )
        return True
    return False


def system_delete(*, system: System, reason: str, by: str) -> SystemDeletion:
    """Remove a System for good: schema, files and domain. The operator keeps its invoices,
    its lifecycle events and this record; the owner gets a last email."""
    owners = owner_emails(system=system)
    with schema_context(get_public_schema_name()), transaction.atomic():
        system = System.objects.select_for_update().get(pk=system.pk)
        if system.customer is None:
            raise ValueError(f"{system} was never claimed; the pool manages it.")
        record = SystemDeletion.objects.create(
            slug=system.slug or "",
            name=system.name,
            schema_name=system.schema_name,
            customer=system.customer,
            reason=reason,
            requested_by=by,
        )
        LifecycleEvent.objects.create(
            system=system,
            system_slug=system.slug or "",
            from_status=system.status,
            to_status="deleted",
            reason=reason,
            actor=by,
        )
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{system.schema_name}" CASCADE')
        system.domains.all().delete()
        System.objects.filter(pk=system.pk).delete()
        mail.send_templated(
            to=owners,
            template="system_deleted",
            essential=True,
            context={"system": system, "record": record, "operator_email": settings.OPERATOR_EMAIL},
        )
        transaction.on_commit(lambda: _remove_files(system.schema_name))
        transaction.on_commit(lambda: system_deleted.send(sender=System, system_id=system.pk))
    return record


def _remove_files(schema_name: str) -> None:
    root = Path(settings.MEDIA_ROOT) / "systems" / schema_name
    shutil.rmtree(root, ignore_errors=True)


def systems_needing_attention() -> list[int]:
    """Ids of Systems the daily job should visit (not pooled, not deleted)."""
    return list(
        System.objects.filter(
            Q(status__in=[Status.TRIAL, Status.ACTIVE, Status.SUSPENDED, Status.TERMINATED])
        ).values_list("pk", flat=True)
    )


def on_invoice_paid(sender, invoice: Invoice, **kwargs) -> None:
    """A paid invoice activates a System in its trial (paid in advance) or lifts a
    suspension that billing made, once nothing else is overdue (billing's invoice_paid)."""
    system = invoice.system
    if system is None:
        return
    still_overdue = system.invoices.filter(
        status=Invoice.Status.OPEN,
        due_at__lte=timezone.now() - timedelta(days=settings.SUSPEND_GRACE_DAYS),
    ).exists()
    if system.status == Status.TRIAL and invoice.billed_in_advance:
        transition(
            system_id=system.pk, name="activate", reason=f"{invoice.number} is paid.", actor=BILLING
        )
    elif system.status == Status.SUSPENDED and not still_overdue and _suspended_by_billing(system):
        transition(
            system_id=system.pk, name="resume", reason=f"{invoice.number} is paid.", actor=BILLING
        )


def _suspended_by_billing(system: System) -> bool:
    """A suspension the operator made by hand (abuse, a dispute) is his to lift, not a
    payment's."""
    last = (
        LifecycleEvent.objects.filter(system=system, to_status=Status.SUSPENDED)
        .order_by("-at", "-id")
        .first()
    )
    return last is not None and last.actor == BILLING
