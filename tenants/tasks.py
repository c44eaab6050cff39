from celery import shared_task
from django.utils import timezone

from tenants import (
    services,
    tasks_backups,  # noqa: F401 - registers the backup and restore tasks
)


@shared_task(name="tenants.tasks.pool_refill", ignore_result=True)
def pool_refill() -> int:
    return services.pool_refill()


@shared_task(name="tenants.tasks.signups_purge", ignore_result=True)
def signups_purge() -> int:
    return services.signups_purge_expired()


@shared_task(name="tenants.tasks.systems_daily", ignore_result=True)
def systems_daily(as_of: str | None = None) -> int:
    """Beat, in public: queue one ``system_daily`` per System, in that System's schema.

    ``as_of`` (ISO date-time) runs the day as if it were then: to catch up after an outage,
    or to walk a System through time in a test.
    """
    from django_tenants.utils import schema_context

    from tenants.models import System
    from tenants.services.lifecycle import systems_needing_attention

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
    from datetime import datetime

    from tenants.models import System
    from tenants.services import billing, lifecycle

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


@shared_task(name="tenants.tasks.metrics_snapshot", ignore_result=True)
def metrics_snapshot() -> None:
    from tenants.services.metrics import snapshot_take

    snapshot_take()


# --- exports -----------------------------------------------------------------------------------


@shared_task(
    name="tenants.tasks.export_build",
    bind=True,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def export_build(self, export_id: int) -> None:
    """Build one export, in its System's schema (queued from there). A failure is retried
    a few times, then the person who asked is told."""
    from django.conf import settings

    from tenants.models import Export
    from tenants.services import exports

    try:
        exports.export_build(export_id=export_id)
    except Exception as error:
        attempts = Export.objects.filter(pk=export_id).values_list("attempts", flat=True).first()
        if attempts is not None and attempts < settings.EXPORT_MAX_ATTEMPTS:
            raise self.retry(exc=error, countdown=30 * attempts) from error
        exports.export_fail(export_id=export_id, error=f"{type(error).__name__}: {error}")
        raise


@shared_task(name="tenants.tasks.exports_resume_stalled", ignore_result=True)
def exports_resume_stalled() -> int:
    from tenants.services import exports

    return exports.exports_resume_stalled()


@shared_task(name="tenants.tasks.exports_expire", ignore_result=True)
def exports_expire() -> int:
    from tenants.services import exports

    return exports.exports_expire()


@shared_task(name="tenants.tasks.system_import", ignore_result=True, acks_late=True)
def system_import(
    *,
    record_id: int,
    path: str,
    name: str | None,
    customer_id: int | None,
    trust_foreign: bool,
) -> None:
    """An import the operator started in admin; the archive is removed afterwards."""
    from pathlib import Path

    from django.core.exceptions import ValidationError

    from tenants.models import Customer, SystemImport
    from tenants.services.archive import ArchiveError
    from tenants.services.imports import system_import as run

    record = SystemImport.objects.filter(pk=record_id, status=SystemImport.Status.RUNNING).first()
    if record is None:  # done already (a redelivered message)
        return
    archive = Path(path)
    try:
        run(
            path=archive,
            slug=record.slug,
            by=record.by,
            name=name,
            customer=Customer.objects.filter(pk=customer_id).first() if customer_id else None,
            trust_foreign=trust_foreign,
            record=record,
        )
    except (ArchiveError, ValidationError):
        pass  # refused: the record says why
    finally:
        archive.unlink(missing_ok=True)


# --- deletion of whole Systems (deletes) -------------------------------------------------------


@shared_task(name="tenants.tasks.system_deletions_due", ignore_result=True)
def system_deletions_due(as_of: str | None = None) -> int:
    """Beat, in public: queue one ``system_deletion_carry_out`` per deletion now due."""
    from datetime import datetime

    from tenants.services import deletion

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
    from datetime import datetime

    from tenants.services import deletion

    when = datetime.fromisoformat(as_of) if as_of else None
    return deletion.deletion_carry_out(deletion_id=deletion_id, as_of=when) is not None


# --- storage -----------------------------------------------------------------------------------


@shared_task(name="tenants.tasks.storage_recount_all", ignore_result=True)
def storage_recount_all() -> int:
    """Beat, daily: count every System's storage again (restores and imports write files
    outside the counted paths), one task per System."""
    from tenants.models import System

    ids = System.objects.exclude(status=System.Status.POOLED).values_list("pk", flat=True)
    for system_id in ids:
        storage_recount.delay(system_id)
    return len(ids)


@shared_task(name="tenants.tasks.storage_recount", ignore_result=True, acks_late=True)
def storage_recount(system_id: int) -> None:
    from tenants.services.storage import storage_recount as recount

    recount(system_id=system_id)
