"""Exports: one archive of everything a System holds, built by a worker.

The job reads the whole System inside one REPEATABLE READ transaction, so the archive is a
consistent snapshot while people keep working. It writes to ``<id>.zip.partial`` and
renames to ``<id>.zip`` only when the manifest is written: a download is never offered
for a half-written file. A worker that dies mid-way stops refreshing its Redis lock; the
reaper (beat) queues the export again, and the next attempt starts over from nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import actor_label, audit_record
from servicedesk import leases, mail, redis
from servicedesk.leases import Lease
from servicedesk.queue import enqueue_on_commit
from servicedesk.schema import current_schema
from tenants import selectors, storage
from tenants.models import System
from tenants.portability.models import Export
from tenants.portability.services import writer
from tenants.portability.services.contents import FILE_CHUNK

log = logging.getLogger(__name__)

# --- requests, progress, downloads ------------------------------------------------------------


@transaction.atomic
def export_request(*, actor: User, ip: str | None = None) -> Export:
    """Start an export of the current System (or return the one already under way)."""
    require(actor, Perm.EXPORT_DATA)
    system = System.objects.select_for_update().get(schema_name=current_schema())
    running = system.exports.filter(
        status__in=[Export.Status.QUEUED, Export.Status.RUNNING]
    ).first()
    if running is not None:
        return running
    export = Export.objects.create(
        system=system,
        requested_by_id=actor.pk,
        requested_by_label=actor_label(actor),
        requested_by_email=actor.email,
    )
    audit_record(
        action=AuditEvent.Action.EXPORT_REQUESTED, actor=actor, target=f"#{export.pk}", ip=ip
    )
    _queue(export)
    return export


def _queue(export: Export) -> None:
    with schema_context(export.system.schema_name):
        enqueue_on_commit("tenants.tasks.export_build", export.pk)


# What the writer is at: stored as a code (writer.py), named in the reader's language.
STAGES = {
    "tickets_csv": gettext_lazy("Tickets (spreadsheet)"),
    "files": gettext_lazy("Files"),
    "raw_mail": gettext_lazy("Mail as it arrived"),
}


def _stage_label(stage: str) -> str:
    if stage.startswith("model:"):
        try:
            return capfirst(apps.get_model(stage.removeprefix("model:"))._meta.verbose_name_plural)
        except (LookupError, ValueError):
            return ""
    return str(STAGES.get(stage, stage))


def progress(export: Export) -> dict[str, Any]:
    """What the progress bar shows: from Redis while running, from the row otherwise."""
    done, total, stage = export.progress_done, export.progress_total, export.stage
    if export.status == Export.Status.RUNNING:
        live: dict = redis.client().hgetall(writer.progress_key(export.pk))  # type: ignore[assignment]
        if live:
            done = int(live.get(b"done", 0))
            total = int(live.get(b"total", 0))
            stage = live.get(b"stage", b"").decode()
    percent = (
        100
        if export.status == Export.Status.READY
        else (min(99, int(100 * done / total)) if total else 0)
    )
    return {
        "id": export.pk,
        "status": export.status,
        "status_label": export.get_status_display(),
        "stage": _stage_label(stage),
        "done": done,
        "total": total,
        "percent": percent,
    }


def export_dir(system_id: int) -> Path:
    """Where a System's archives live: by its id, which a restore (a new schema) keeps."""
    return Path(settings.EXPORT_ROOT) / f"system-{system_id}"


def on_system_deleted(sender, system_id: int, **kwargs) -> None:
    """The System is gone: so are its export archives (lifecycle's system_deleted)."""
    exports_remove_all(system_id=system_id)


def exports_remove_all(*, system_id: int) -> None:
    shutil.rmtree(export_dir(system_id), ignore_errors=True)


def archive_path(export: Export) -> Path:
    return export_dir(export.system_id) / f"export-{export.pk}.zip"


@transaction.atomic
def export_download(*, actor: User, export: Export, ip: str | None = None) -> Path:
    """The file to send, for the owner or an admin, while it is offered."""
    require(actor, Perm.EXPORT_DATA)
    if export.status != Export.Status.READY or (
        export.expires_at is not None and export.expires_at <= timezone.now()
    ):
        raise ValidationError(_("This export is no longer offered; start a new one."))
    path = archive_path(export)
    if not path.exists():
        raise ValidationError(_("This export is no longer offered; start a new one."))
    Export.objects.filter(pk=export.pk).update(downloads=models.F("downloads") + 1)
    audit_record(
        action=AuditEvent.Action.EXPORT_DOWNLOADED, actor=actor, target=f"#{export.pk}", ip=ip
    )
    return path


# --- the job -------------------------------------------------------------------------------------


def _key(export_id: int, what: str) -> str:
    return redis.key(f"export:{export_id}:{what}")


def _lease(export_id: int) -> Lease:
    return Lease(f"export:{export_id}:lease", settings.EXPORT_LEASE_SECONDS)


def lease_held(export_id: int) -> bool:
    return leases.lease_held(f"export:{export_id}:lease")


def export_build(*, export_id: int) -> Export | None:
    """Build the archive of one export. Safe to run again: a finished export is left
    alone, one being built by a live worker is skipped, anything else starts over."""
    export = Export.objects.select_related("system").filter(pk=export_id).first()
    if export is None or export.status in {Export.Status.READY, Export.Status.EXPIRED}:
        return export
    lease = _lease(export_id)
    if not lease.take():
        return None
    try:
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.RUNNING,
            attempts=models.F("attempts") + 1,
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
            error="",
        )
        final = archive_path(export)
        final.parent.mkdir(parents=True, exist_ok=True)
        for leftover in final.parent.glob(f"{final.name}.*.partial"):
            leftover.unlink(missing_ok=True)  # from an attempt whose worker died
        partial = final.with_name(f"{final.name}.{lease.token}.partial")
        try:
            with schema_context(export.system.schema_name):
                manifest = writer.write(export, partial)
            size, digest = _file_digest(partial)
            if not lease.held():  # taken for dead meanwhile: the other attempt wins
                raise RuntimeError("lost the export's lease")
            os.replace(partial, final)
        except Exception:
            partial.unlink(missing_ok=True)
            raise
        return _ready(export, manifest, size, digest)
    finally:
        lease.release()


def export_fail(*, export_id: int, error: str) -> None:
    """The last attempt failed: say so, and tell whoever asked."""
    export = Export.objects.select_related("system").get(pk=export_id)
    Export.objects.filter(pk=export_id).update(
        status=Export.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )
    with schema_context(export.system.schema_name):
        mail.send_templated(
            to=[export.requested_by_email],
            template="export_failed",
            essential=True,
            context={"system": export.system, "export": export, **_urls(export.system)},
        )


def _urls(system: System) -> dict[str, str]:
    return {"export_url": selectors.system_url(system=system, path="/settings/export/")}


def _ready(export: Export, manifest: dict, size: int, digest: str) -> Export:
    now = timezone.now()
    counts = {name: entry["rows"] for name, entry in manifest["files"].items() if "rows" in entry}
    with transaction.atomic():
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.READY,
            file_name=archive_path(export).name,
            size=size,
            sha256=digest,
            counts=counts,
            finished_at=now,
            heartbeat_at=now,
            expires_at=now + timedelta(hours=settings.EXPORT_TTL_HOURS),
            progress_done=models.F("progress_total"),
        )
        storage.storage_add(system_id=export.system_id, nbytes=size)
        export.refresh_from_db()
        with schema_context(export.system.schema_name):
            mail.send_templated(
                to=[export.requested_by_email],
                template="export_ready",
                essential=True,
                context={"system": export.system, "export": export, **_urls(export.system)},
            )
    redis.client().delete(writer.progress_key(export.pk))
    return export


def _file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(FILE_CHUNK):
            digest.update(chunk)
    return path.stat().st_size, digest.hexdigest()


def stalled_exports() -> list[int]:
    """Exports a worker took and then stopped renewing (it died), or queued long ago."""
    stale_queue = timezone.now() - timedelta(minutes=10)
    candidates = Export.objects.filter(status=Export.Status.RUNNING) | Export.objects.filter(
        status=Export.Status.QUEUED, created_at__lt=stale_queue
    )
    return [pk for pk in candidates.values_list("pk", flat=True) if not lease_held(pk)]


def exports_resume_stalled() -> int:
    """Queue again every export whose worker died (the beat's reaper)."""
    count = 0
    for export in Export.objects.select_related("system").filter(pk__in=stalled_exports()):
        if export.attempts >= settings.EXPORT_MAX_ATTEMPTS:
            export_fail(export_id=export.pk, error="The export failed several times.")
            continue
        _queue(export)
        count += 1
    return count


def exports_expire(*, now=None) -> int:
    """Remove archives past their time; the row stays, marked expired."""
    now = now or timezone.now()
    count = 0
    for export in Export.objects.select_related("system").filter(
        status=Export.Status.READY, expires_at__lte=now
    ):
        archive_path(export).unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).update(status=Export.Status.EXPIRED)
        storage.storage_release(system_id=export.system_id, nbytes=export.size)
        count += 1
    return count
