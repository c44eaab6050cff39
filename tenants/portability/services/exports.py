"""Exports: one archive of everything a System holds, built by a worker.

The job reads the whole System inside one REPEATABLE READ transaction, so the archive is a
consistent snapshot while people keep working. It writes to ``<id>.zip.partial`` and
renames to ``<id>.zip`` only when the manifest is written: a download is never offered
for a half-written file. A worker that dies mid-way stops refreshing its Redis lock; the
reaper (beat) queues the export again, and the next attempt starts over from nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import shutil
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models import StringAgg, Value
from django.utils import timezone
from django_tenants.utils import app_labels, schema_context

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
from tenants.portability.services import archive

log = logging.getLogger(__name__)

# Never exported: framework bookkeeping, sessions, single-use login links, second factors
# (their secrets must not leave), and numbers the database keeps by itself.
SKIPPED_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "auth.group_permissions",
    "accounts.user_groups",
    "accounts.user_user_permissions",
    "sessions.session",
    "admin.logentry",
    "usersessions.usersession",
    "account.emailconfirmation",
    "mfa.authenticator",
    "accounts.loginhandoff",
    "tickets.statuscount",
}
# Fields left out of rows: secrets, and what is derived again on import. An import refuses
# an archive that holds any of them (tenants/services/imports.py).
HIDDEN_FIELDS = {
    "accounts.user": {"password"},
    "accounts.invitation": {"token_hash"},
    "tickets.ticket": {"search_vector", "note_vector"},
    "tickets.attachment": {"thumbnail"},
}
# Left out too: the operator's own case notes on his records about the System. Archives
# made before they were left out hold them; an import drops them.
OPERATOR_NOTES = {
    # The person's report is his; the operator's investigation (where it came from, his
    # notes and conclusion) is not.
    "accounts.securityreport": {"ip", "user_agent", "operator_notes", "resolution"},
    # The operator arbitrates between a claimant (often not one of the System's people)
    # and the account: the claim, its evidence and the reasoning are his case file. The
    # System keeps which account was disputed, when, and who owns it afterwards.
    "accounts.accountdispute": {
        "claimant_name",
        "claimant_email",
        "claim",
        "evidence",
        "decision",
        "decided_by",
    },
    "legal.operatoraccess": {"operator_id"},  # his account here; the email is shown
    "legal.takedown": {"operator_email", "restored_by"},  # who of the operator acted
    "tenants.payment": {"recorded_by"},
    "tenants.restorerequest": {"handled_by", "overdue_alerted_at"},
}
# The operator's records that belong to the System's history (imported with it)...
PUBLIC_DATA = {
    "legal.consentchange": "system",
    "legal.operatoraccess": "system",
    "legal.operatoraccessview": "access__system",
    "legal.contentreport": "system",
    "legal.takedown": "system",
    "accounts.securityreport": "system",
    "accounts.accountdispute": "system",
}
# ...and the customer's copy of the business records (not imported: a new System starts
# its own billing).
PUBLIC_RECORDS = {
    "tenants.invoice": "system",
    "tenants.payment": "invoice__system",
    "tenants.planchange": "system",
    "tenants.lifecycleevent": "system",
    "tenants.restorerequest": "system",
}
CHUNK = 2000
FILE_CHUNK = 1024 * 1024
# Deflate what compresses; photos, videos and archives are stored as they are.
STORED_TYPES = ("image/", "video/", "audio/", "application/zip", "application/gzip")


# --- what goes in ---------------------------------------------------------------------------


def tenant_models() -> list[type[models.Model]]:
    """Every model whose table lives in a System's schema, apart from the skipped ones."""
    tenant_apps = set(app_labels(settings.TENANT_APPS))
    found = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.app_label not in tenant_apps or label in SKIPPED_MODELS:
            continue
        if label in settings.PUBLIC_ONLY_MODELS or model._meta.proxy:
            continue
        found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def columns(model: type[models.Model]) -> list[str]:
    label = model._meta.label_lower
    hidden = HIDDEN_FIELDS.get(label, set()) | OPERATOR_NOTES.get(label, set())
    return [field.attname for field in model._meta.concrete_fields if field.name not in hidden]


def data_name(model: type[models.Model], *, public: bool = False) -> str:
    return f"data/{'public/' if public else ''}{model._meta.label_lower}.json"


def attachment_path(*, number: int, attachment_id: int, original_name: str) -> str:
    """Where a file sits in the archive: under its ticket, with its original name."""
    name = original_name.replace("/", "_").replace("\\", "_").lstrip(".") or "file"
    return f"files/tickets/{number}/{attachment_id}/{name}"


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


def progress(export: Export) -> dict[str, Any]:
    """What the progress bar shows: from Redis while running, from the row otherwise."""
    done, total, stage = export.progress_done, export.progress_total, export.stage
    if export.status == Export.Status.RUNNING:
        live: dict = redis.client().hgetall(_key(export.pk, "progress"))  # type: ignore[assignment]
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
        "stage": stage,
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
        raise ValidationError("This export is no longer offered; start a new one.")
    path = archive_path(export)
    if not path.exists():
        raise ValidationError("This export is no longer offered; start a new one.")
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


class _Progress:
    def __init__(self, export_id: int, total: int) -> None:
        self.key = _key(export_id, "progress")
        self.total = total
        self.done = 0
        self.stage = ""
        self.sent = 0.0

    def step(self, count: int = 1, stage: str | None = None) -> None:
        self.done += count
        if stage is not None:
            self.stage = stage
        now = time.monotonic()
        if stage is not None or now - self.sent >= 0.5:
            mapping = {"done": self.done, "total": self.total, "stage": self.stage}
            redis.client().hset(self.key, mapping=mapping)  # type: ignore[arg-type]
            redis.client().expire(self.key, 3600)
            self.sent = now


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
                manifest = _write(export, partial)
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
    redis.client().delete(_key(export.pk, "progress"))
    return export


def _file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(FILE_CHUNK):
            digest.update(chunk)
    return path.stat().st_size, digest.hexdigest()


def _snapshot() -> None:
    """Make the open transaction a consistent, read-only view of the whole schema."""
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _write(export: Export, path: Path) -> dict:
    system = export.system
    with connection.cursor() as cursor:  # sets the search path before the snapshot starts
        cursor.execute("SELECT 1")
    # Inside a caller's transaction (a test) that transaction is the snapshot already.
    own_transaction = not connection.in_atomic_block
    with transaction.atomic(), ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as zipped:
        if own_transaction:
            _snapshot()
        models_in = tenant_models()
        counts = {model: model._base_manager.count() for model in models_in}
        from tickets.models import Attachment, Ticket

        total = sum(counts.values()) + counts.get(Attachment, 0) + counts.get(Ticket, 0)
        meter = _Progress(export.pk, total)
        files: dict[str, dict] = {}

        files["system.json"] = _write_json(zipped, "system.json", _system_facts(system, export))
        for model in models_in:
            name = data_name(model)
            meter.step(0, stage=str(model._meta.verbose_name_plural).capitalize())
            files[name] = archive.write_rows(zipped, name, _rows(model, meter))
        for label, path_to_system in {**PUBLIC_DATA, **PUBLIC_RECORDS}.items():
            model = apps.get_model(label)
            name = (
                data_name(model, public=True) if label in PUBLIC_DATA else (f"records/{label}.json")
            )
            rows = _public_rows(model, path_to_system, system)
            files[name] = archive.write_rows(zipped, name, rows)
        meter.step(0, stage="Tickets (spreadsheet)")
        files["tickets.csv"] = _write_tickets_csv(zipped, meter)
        meter.step(0, stage="Files")
        files.update(_write_attachments(zipped, meter))

        manifest = archive.sign(
            {
                "format": archive.FORMAT,
                "version": archive.VERSION,
                "system": {"slug": system.slug, "name": system.name},
                "exported_at": timezone.now(),
                "exported_by": export.requested_by_label,
                "export_id": export.pk,
                "files": files,
            }
        )
        manifest = _plain(manifest)
        with zipped.open(archive.MANIFEST, "w") as target:
            target.write(archive.dumps(manifest).encode())
    return manifest


def _plain(value: Any) -> Any:
    import json

    return json.loads(archive.dumps(value))


def _write_json(zipped: ZipFile, name: str, value: Any) -> dict:
    with zipped.open(name, "w") as target:
        out = archive.HashingWriter(target)
        out.write(archive.dumps(value).encode() + b"\n")
    return out.entry()


def _system_facts(system: System, export: Export) -> dict:
    return {
        "name": system.name,
        "slug": system.slug,
        "status": system.status,
        "created_at": system.claimed_at or system.created_at,
        "owner_email": system.owner_email,
        "customer": {
            "name": system.customer.name if system.customer else "",
            "email": system.customer.email if system.customer else "",
        },
        "plan": system.plan.name if system.plan else None,
        "seat_cap": system.seat_cap,
        "seats_used": system.seats_used,
        "settings": {
            "idle_timeout_minutes": system.idle_timeout_minutes,
            "invite_expiry_days": system.invite_expiry_days,
            "attachment_max_mb": system.attachment_max_mb,
            "agents_may_delete": system.agents_may_delete,
        },
        "consents": {
            "reference": system.consent_reference,
            "announcements": system.consent_announcements,
        },
    }


def _rows(model: type[models.Model], meter: _Progress) -> Iterator[dict]:
    names = columns(model)
    queryset = model._base_manager.order_by("pk").values_list(*names)
    for values in queryset.iterator(chunk_size=CHUNK):
        meter.step()
        yield dict(zip(names, values, strict=True))


def _public_rows(model: type[models.Model], path: str, system: System) -> Iterator[dict]:
    names = columns(model)
    queryset = model._base_manager.filter(**{path: system}).order_by("pk").values_list(*names)
    with schema_context("public"):
        for values in queryset.iterator(chunk_size=CHUNK):
            yield dict(zip(names, values, strict=True))


CSV_HEADER = [
    "number",
    "subject",
    "status",
    "priority",
    "requester",
    "assignee",
    "category",
    "tags",
    "created_at",
    "updated_at",
    "solved_at",
    "due_on",
]


def _write_tickets_csv(zipped: ZipFile, meter: _Progress) -> dict:
    from tickets.models import Ticket

    rows = (
        Ticket.objects.order_by("number")
        .annotate(tag_list=StringAgg("tags__name", delimiter=Value("; "), order_by="tags__name"))
        .values_list(
            "number",
            "subject",
            "status",
            "priority",
            "requester__email",
            "assignee__email",
            "category__name",
            "tag_list",
            "created_at",
            "updated_at",
            "solved_at",
            "due_on",
        )
    )
    with zipped.open("tickets.csv", "w", force_zip64=True) as target:
        out = archive.HashingWriter(target)
        sink = io.BufferedWriter(_Sink(out))
        text = io.TextIOWrapper(sink, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(CSV_HEADER)
        for row in rows.iterator(chunk_size=CHUNK):
            writer.writerow(["" if value is None else _csv_value(value) for value in row])
            out.rows += 1
            meter.step()
        text.flush()
        sink.flush()
        text.detach()
    return {**out.entry(), "rows": out.rows}


# What makes a spreadsheet read a cell as a formula (tab and carriage return too: some
# strip them and then see the "=" behind).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # A leading apostrophe makes spreadsheets show the cell as text.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Sink(io.RawIOBase):
    def __init__(self, out: archive.HashingWriter) -> None:
        self.out = out

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.out.write(bytes(data))
        return len(data)


def _write_attachments(zipped: ZipFile, meter: _Progress) -> dict[str, dict]:
    from tickets.models import Attachment

    entries = {}
    rows = Attachment.objects.order_by("pk").values_list(
        "pk", "ticket__number", "original_name", "file", "content_type"
    )
    for pk, number, original_name, stored, content_type in rows.iterator(chunk_size=CHUNK):
        name = attachment_path(number=number, attachment_id=pk, original_name=original_name)
        info = ZipInfo(name, date_time=time.localtime(time.time())[:6])
        info.compress_type = ZIP_STORED if content_type.startswith(STORED_TYPES) else ZIP_DEFLATED
        with (
            default_storage.open(stored, "rb") as source,
            zipped.open(info, "w", force_zip64=True) as target,
        ):
            out = archive.HashingWriter(target)
            while chunk := source.read(FILE_CHUNK):
                out.write(chunk)
        entries[name] = out.entry()
        meter.step()
    return entries


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
