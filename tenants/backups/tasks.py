"""Celery tasks of backups, restores and restore requests (registered by tenants.tasks;
their names stay ``tenants.tasks.*``)."""

from celery import shared_task
from django.conf import settings

from tenants.backups.models import Backup
from tenants.backups.services import backups, pgtools, restores
from tenants.backups.services.restore_requests import restore_requests_alert_overdue
from tenants.backups.services.retention import backups_expire as expire


@shared_task(name="tenants.tasks.backups_schedule", ignore_result=True)
def backups_schedule() -> int:
    """Beat, in public: a backup for every System its plan says is due."""

    return backups.backups_schedule()


@shared_task(
    name="tenants.tasks.backup_run",
    bind=True,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def backup_run(self, backup_id: int) -> None:
    """One backup; retried a few times, then failed (nothing kept) and the operators told.
    Backups run one at a time (a Redis slot), so a worker never dumps two Systems at once."""

    try:
        backups.backup_run(backup_id=backup_id)
    except backups.BackupBusy as error:
        raise self.retry(exc=error, countdown=60) from error
    except Exception as error:
        attempts = Backup.objects.filter(pk=backup_id).values_list("attempts", flat=True).first()
        if attempts is not None and attempts < settings.BACKUP_MAX_ATTEMPTS:
            raise self.retry(exc=error, countdown=settings.BACKUP_RETRY_SECONDS) from error
        backups.backup_fail(backup_id=backup_id, error=f"{type(error).__name__}: {error}")
        raise


@shared_task(name="tenants.tasks.backups_resume_stalled", ignore_result=True)
def backups_resume_stalled() -> int:

    return backups.backups_resume_stalled()


@shared_task(name="tenants.tasks.backups_expire", ignore_result=True)
def backups_expire() -> int:

    return expire()


@shared_task(name="tenants.tasks.backups_verify", ignore_result=True)
def backups_verify() -> int:
    """Beat: verify each System's latest backup that hasn't been verified yet (and drop
    scratch databases a dead worker left)."""

    pgtools.scratch_databases_sweep()

    pending = (
        Backup.objects.filter(status=Backup.Status.OK, verified_at__isnull=True)
        .exclude(system=None)
        .order_by("system_id", "-started_at")
        .distinct("system_id")
        .values_list("pk", flat=True)
    )
    count = 0
    for backup_id in pending:
        backup_verify.delay(backup_id)
        count += 1
    return count


@shared_task(name="tenants.tasks.backup_verify", ignore_result=True, acks_late=True)
def backup_verify(backup_id: int) -> None:

    backups.backup_verify(backup_id=backup_id)


@shared_task(name="tenants.tasks.restore_run", ignore_result=True, acks_late=True)
def restore_run(restore_id: int) -> None:

    restores.restore_run(restore_id=restore_id)


@shared_task(name="tenants.tasks.restore_requests_overdue", ignore_result=True)
def restore_requests_overdue() -> int:

    return restore_requests_alert_overdue()


@shared_task(name="tenants.tasks.restores_fail_stalled", ignore_result=True)
def restores_fail_stalled() -> int:

    return restores.restores_fail_stalled()
