"""The daily walk of every System through its lifecycle, and carrying out deletions."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.billing import services as billing
from tenants.lifecycle import deletion
from tenants.lifecycle import services as lifecycle
from tenants.lifecycle.services import systems_needing_attention
from tenants.models import System


@shared_task(name="tenants.tasks.systems_daily", ignore_result=True)
def systems_daily(as_of: str | None = None) -> int:
    """Beat, in public: queue one ``system_daily`` per System, in that System's schema.

    ``as_of`` (ISO date-time) runs the day as if it were then: to catch up after an outage,
    or to walk a System through time in a test.
    """

    when = as_of or timezone.now().isoformat()
    count = 0
    for system_id, schema in System.objects.filter(pk__in=systems_needing_attention()).values_list(
        "pk", "schema_name"
    ):
        with schema_context(schema):
            system_daily.delay(system_id, when)
        count += 1
    return count


@shared_task(
    name="tenants.tasks.system_daily",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=5,
)
def system_daily(system_id: int, as_of: str) -> None:
    """One System's day: invoices for finished months, trial and payment reminders,
    suspension, termination, retention. Every step is idempotent."""

    when = datetime.fromisoformat(as_of)
    system = System.objects.filter(pk=system_id).first()
    if system is None:
        return
    billing.invoices_issue_due(system=system, as_of=when)
    lifecycle.trial_check(system=system, as_of=when)
    system.refresh_from_db()
    lifecycle.payment_check(system=system, as_of=when)
    system.refresh_from_db()
    lifecycle.retention_check(system=system, as_of=when)


@shared_task(name="tenants.tasks.system_deletions_due", ignore_result=True)
def system_deletions_due(as_of: str | None = None) -> int:
    """Beat, in public: queue one ``system_deletion_carry_out`` per deletion now due."""

    when = datetime.fromisoformat(as_of) if as_of else timezone.now()
    due = deletion.deletions_due(as_of=when)
    for deletion_id in due:
        system_deletion_carry_out.delay(deletion_id, when.isoformat())
    return len(due)


@shared_task(
    name="tenants.tasks.system_deletion_carry_out",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=5,
)
def system_deletion_carry_out(deletion_id: int, as_of: str | None = None) -> bool:
    """Delete one System whose deletion is due; a second run (or worker) does nothing."""

    when = datetime.fromisoformat(as_of) if as_of else None
    return deletion.deletion_carry_out(deletion_id=deletion_id, as_of=when) is not None
