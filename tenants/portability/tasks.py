"""Exports and imports, run by workers."""

from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError

from tenants.models import Customer
from tenants.portability.models import Export, SystemImport
from tenants.portability.services import exports
from tenants.portability.services.archive import ArchiveError
from tenants.portability.services.imports import system_import as run


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

    return exports.exports_resume_stalled()


@shared_task(name="tenants.tasks.exports_expire", ignore_result=True)
def exports_expire() -> int:

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
