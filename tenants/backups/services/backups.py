"""Backups of one System: its schema (pg_dump, custom format) and its files (tar), with a
manifest of row counts and order-independent checksums per table and a SHA-256 per
artifact, saved to the "backups" storage (any Django storage: a local directory by
default, S3 and friends in production).

The counts and checksums are taken in the very snapshot pg_dump reads (an exported
snapshot of a REPEATABLE READ transaction), so manifest and dump always agree while people
keep working. Artifacts are built in a temporary directory, streamed to the storage, and
the manifest goes last; the Backup becomes OK only after all of it is stored. A worker that
dies stops renewing its Redis lease; the reaper queues the backup again and the next
attempt removes whatever the dead one left before starting over. The last failed attempt
removes its artifacts too: a backup is either complete or nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from servicedesk import leases, mail, queue, redis
from tenants import selectors
from tenants.backups.models import Backup
from tenants.backups.services import pgtools
from tenants.billing.models import Plan
from tenants.lifecycle.services import systems_needing_attention
from tenants.models import System

log = logging.getLogger(__name__)

DUMP = "schema.dump"
FILES = "files.tar"
MANIFEST = "manifest.json"
ARTIFACTS = (DUMP, FILES, MANIFEST)
FORMAT = "servicedesk-backup"
CHUNK = 1024 * 1024
TEMP_PREFIX = "servicedesk-backup-"

FREQUENCY = {
    Plan.BackupFrequency.HOURLY: timedelta(hours=1),
    Plan.BackupFrequency.TWICE_DAILY: timedelta(hours=12),
    Plan.BackupFrequency.DAILY: timedelta(days=1),
    Plan.BackupFrequency.WEEKLY: timedelta(days=7),
}
# A backup is due a little before a full period has passed, so a beat that runs late by a
# few minutes does not push every backup one period further.
DUE_SLACK = timedelta(minutes=15)


def storage() -> Storage:
    return storages["backups"]


def files_root(schema_name: str) -> Path:
    """Where a System's files live (see lifecycle._remove_files)."""
    return Path(settings.MEDIA_ROOT) / "systems" / schema_name


# --- leases ---------------------------------------------------------------------------------


class Lease(leases.Lease):
    def __init__(self, name: str, ttl: int | None = None) -> None:
        super().__init__(name, ttl or settings.BACKUP_LEASE_SECONDS)


def _lease_name(backup_id: int) -> str:
    return f"backup:{backup_id}:lease"


# BACKUP_CONCURRENCY backups at a time in the whole deployment (1 by default), however many
# workers there are: pg_dump reads a whole schema, and the site's own queries come first.
SLOT = "backup:slot"


def slot_take(seconds: float) -> Lease | None:
    """One of the backup slots, waiting up to ``seconds`` for one to come free."""
    names = [f"{SLOT}:{n}" for n in range(max(1, settings.BACKUP_CONCURRENCY))]
    deadline = time.monotonic() + seconds
    while True:
        for name in names:
            slot = Lease(name)
            if slot.take():
                return slot
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.5)


def lease_held(backup_id: int) -> bool:
    return lease_held_named(_lease_name(backup_id))


def lease_held_named(name: str) -> bool:
    return bool(redis.client().exists(redis.key(name)))


class BackupBusy(Exception):
    """Another backup holds the slot; try again later (not a failed attempt)."""


# --- starting backups -----------------------------------------------------------------------


def _location(system: System, backup: Backup) -> str:
    return f"{system.schema_name}/{backup.started_at:%Y%m%dT%H%M%S}-{backup.pk}"


def backup_create(*, system: System, kind: str = Backup.Kind.SCHEDULED) -> Backup:
    """A Backup row for ``system``, not yet run (``backup_queue`` or ``backup_run`` it)."""
    backup = Backup.objects.create(
        system=system,
        system_slug=system.slug or system.schema_name,
        schema_name=system.schema_name,
        kind=kind,
        status=Backup.Status.RUNNING,
    )
    backup.location = _location(system, backup)
    Backup.objects.filter(pk=backup.pk).update(location=backup.location)
    return backup


BACKUP_RUN = "tenants.tasks.backup_run"


def backup_queue(backup: Backup) -> None:
    task = queue.task(BACKUP_RUN)

    def send() -> None:
        with schema_context("public"):  # backups name their schema; they run from public
            task.delay(backup.pk)

    transaction.on_commit(send)


@transaction.atomic
def backup_request(*, system: System, kind: str = Backup.Kind.MANUAL) -> Backup:
    """Queue a backup now (the operator's "Back up now"), unless one is under way."""
    locked = System.objects.select_for_update().get(pk=system.pk)
    running = locked.backups.filter(status=Backup.Status.RUNNING).first()
    if running is not None:
        return running
    backup = backup_create(system=locked, kind=kind)
    backup_queue(backup)
    return backup


def backups_due(*, now: datetime | None = None) -> list[int]:
    """Ids of Systems whose plan's frequency says a backup is due (daily without a plan)."""

    now = now or timezone.now()
    last_started = (
        Backup.objects.filter(system=models.OuterRef("pk"))
        .exclude(status=Backup.Status.FAILED)
        .order_by("-started_at")
        .values("started_at")[:1]
    )
    rows = (
        System.objects.filter(pk__in=systems_needing_attention())
        .annotate(last=models.Subquery(last_started))
        .values_list("pk", "plan__backup_frequency", "last")
    )
    due = []
    for pk, frequency, last in rows:
        every = FREQUENCY.get(frequency or Plan.BackupFrequency.DAILY, timedelta(days=1))
        if last is None or last <= now - every + DUE_SLACK:
            due.append(pk)
    return due


def backups_schedule(*, now: datetime | None = None) -> int:
    """Beat: one backup row and task per System that is due."""
    count = 0
    for system in System.objects.filter(pk__in=backups_due(now=now)):
        with transaction.atomic():
            locked = System.objects.select_for_update().get(pk=system.pk)
            if locked.backups.filter(status=Backup.Status.RUNNING).exists():
                continue
            backup_queue(backup_create(system=locked))
            count += 1
    return count


# --- the job --------------------------------------------------------------------------------


@dataclass
class Built:
    manifest: dict
    size: int


def backup_run(*, backup_id: int) -> Backup | None:
    """Run one backup. Safe to run again: a finished one is left alone, one a live worker
    is running is skipped, anything else starts over from nothing."""
    backup = Backup.objects.select_related("system").filter(pk=backup_id).first()
    if backup is None or backup.status != Backup.Status.RUNNING or backup.system is None:
        return backup
    lease = Lease(_lease_name(backup_id))
    if not lease.take():
        return None
    slot = None
    try:
        slot = slot_take(settings.BACKUP_SLOT_WAIT_SECONDS)
        if slot is None:
            raise BackupBusy("other backups are running")
        Backup.objects.filter(pk=backup_id).update(
            attempts=models.F("attempts") + 1, heartbeat_at=timezone.now(), error=""
        )
        _remove_artifacts(backup)  # whatever a dead attempt left
        _remove_leftover_temp(backup_id)
        try:
            built = _build_and_store(backup, lease)
        except BaseException:
            _remove_artifacts(backup)
            raise
        return _mark_ok(backup, built)
    finally:
        if slot is not None:
            slot.release()
        lease.release()


def _build_and_store(backup: Backup, lease: Lease) -> Built:
    schema = backup.schema_name
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{backup.pk}-") as temp:
        work = Path(temp)
        tables = _dump_with_checksums(schema, work / DUMP)
        file_count = _tar_files(schema, work / FILES)
        artifacts: dict[str, dict[str, int | str]] = {}
        for name in (DUMP, FILES):
            size, digest = file_digest(work / name)
            artifacts[name] = {"size": size, "sha256": digest}
        manifest = {
            "format": FORMAT,
            "version": 1,
            "backup_id": backup.pk,
            "system": backup.system_slug,
            "schema": schema,
            "taken_at": timezone.now().isoformat(),
            "server_major": pgtools.server_major(),
            "tables": tables,
            "files": file_count,
            "artifacts": artifacts,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        for name in (DUMP, FILES, MANIFEST):  # the manifest last: it says "complete"
            _upload(work / name, f"{backup.location}/{name}")
        if not lease.held():  # taken for dead meanwhile: the other attempt wins
            raise RuntimeError("lost the backup's lease")
        size = sum(int(entry["size"]) for entry in artifacts.values())
        return Built(manifest=manifest, size=size + (work / MANIFEST).stat().st_size)


def _dump_with_checksums(schema: str, path: Path) -> dict:
    """pg_dump and the checksums read one exported snapshot: they describe the same data."""
    with pgtools.connect(autocommit=False) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        (snapshot,) = conn.execute("SELECT pg_export_snapshot()").fetchone()  # type: ignore[misc]
        pgtools.dump_schema(schema=schema, path=path, snapshot=snapshot)
        tables = pgtools.table_checksums(conn, schema)
        conn.rollback()
    return tables


def _tar_files(schema: str, path: Path) -> int:
    root = files_root(schema)
    count = 0
    with tarfile.open(path, "w") as tar:
        if root.is_dir():
            for item in sorted(root.rglob("*")):
                if item.is_file():
                    tar.add(item, arcname=str(item.relative_to(root)), recursive=False)
                    count += 1
    return count


def _upload(source: Path, name: str) -> None:
    with source.open("rb") as handle:
        saved = storage().save(name, File(handle, name=source.name))
    if saved != name:  # a stray file of that name survived: never keep two versions
        storage().delete(saved)
        raise RuntimeError(f"could not store {name}")


def file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return path.stat().st_size, digest.hexdigest()


def _remove_artifacts(backup: Backup) -> None:
    if not backup.location:
        return
    store = storage()
    for name in ARTIFACTS:
        path = f"{backup.location}/{name}"
        if store.exists(path):
            store.delete(path)


def _remove_leftover_temp(backup_id: int) -> None:
    for leftover in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}{backup_id}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _mark_ok(backup: Backup, built: Built) -> Backup:
    now = timezone.now()
    Backup.objects.filter(pk=backup.pk).update(
        status=Backup.Status.OK,
        manifest=built.manifest,
        size=built.size,
        finished_at=now,
        heartbeat_at=now,
    )
    backup.refresh_from_db()
    return backup


def backup_fail(*, backup_id: int, error: str) -> None:
    """The last attempt failed: keep nothing, say why, tell the operators."""
    backup = Backup.objects.filter(pk=backup_id).first()
    if backup is None or backup.status != Backup.Status.RUNNING:
        return
    _remove_artifacts(backup)
    Backup.objects.filter(pk=backup_id).update(
        status=Backup.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )
    backup.refresh_from_db()
    operators_alert(template="backup_failed", context={"backup": backup})


def operators_alert(*, template: str, context: dict) -> None:
    """Email the operators (OPERATOR_EMAIL and active superusers)."""
    User = get_user_model()
    with schema_context("public"):  # operators are public accounts; the mail task runs there
        to = {settings.OPERATOR_EMAIL}
        to.update(
            User.objects.filter(is_superuser=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        context = {"admin_url": selectors.public_url(path="/admin/"), **context}
        mail.send_templated(to=to, template=template, context=context, essential=True)


def stalled_backups() -> list[int]:
    """Backups a worker took and then stopped renewing (it died), or whose message was
    lost (never started in two hours; ones merely waiting for the slot start sooner)."""
    stale = timezone.now() - timedelta(hours=2)
    candidates = Backup.objects.filter(status=Backup.Status.RUNNING).filter(
        models.Q(heartbeat_at__isnull=False) | models.Q(started_at__lt=stale)
    )
    return [pk for pk in candidates.values_list("pk", flat=True) if not lease_held(pk)]


def backups_resume_stalled() -> int:
    task = queue.task(BACKUP_RUN)

    count = 0
    for backup in Backup.objects.filter(pk__in=stalled_backups()):
        if backup.attempts >= settings.BACKUP_MAX_ATTEMPTS:
            backup_fail(backup_id=backup.pk, error="The backup failed several times.")
            continue
        with schema_context("public"):
            task.delay(backup.pk)
        count += 1
    return count


# --- reading a backup back ------------------------------------------------------------------


def fetch(backup: Backup, name: str, target: Path) -> Path:
    """Stream one artifact from the storage to ``target``."""
    with storage().open(f"{backup.location}/{name}", "rb") as source, target.open("wb") as out:
        while chunk := source.read(CHUNK):
            out.write(chunk)
    return target


def fetch_checked(backup: Backup, work: Path) -> dict[str, Path]:
    """Fetch the dump and the files and check them against the manifest."""
    manifest = backup.manifest
    paths = {}
    for name in (DUMP, FILES):
        path = fetch(backup, name, work / name)
        size, digest = file_digest(path)
        expected = manifest["artifacts"][name]
        if digest != expected["sha256"] or size != expected["size"]:
            raise BackupCorrupt(f"{name}: SHA-256 differs from the manifest")
        paths[name] = path
    return paths


class BackupCorrupt(Exception):
    """An artifact does not match its manifest."""


def extract_files(tar_path: Path, target: Path) -> int:
    """Unpack a backup's files into ``target`` (which must not exist yet)."""
    target.mkdir(parents=True, exist_ok=False)
    count = 0
    with tarfile.open(tar_path, "r") as tar:
        for member in tar:
            if not member.isfile():
                continue
            tar.extract(member, target, filter="data")  # no absolute paths, no "..", no links
            count += 1
    return count


# --- verifying ------------------------------------------------------------------------------


def backup_verify(*, backup_id: int | None = None, system: System | None = None) -> Backup | None:
    """Restore a backup (the latest OK one of ``system`` unless named) into a scratch
    database, compare every table with the manifest, drop the scratch, record the result.
    A failure emails the operators."""
    if backup_id is not None:
        backup = Backup.objects.filter(pk=backup_id).first()
    else:
        backup = latest_ok(system=system) if system is not None else None
    if backup is None or backup.status != Backup.Status.OK:
        return backup
    problems: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}verify-") as temp:
            paths = fetch_checked(backup, Path(temp))
            with pgtools.scratch_database() as scratch:
                pgtools.restore_dump(path=paths[DUMP], dbname=scratch)
                found = pgtools.checksums_of(schema=backup.schema_name, dbname=scratch)
            problems = pgtools.compare(backup.manifest.get("tables", {}), found)
            with tarfile.open(paths[FILES], "r") as tar:
                files = sum(1 for member in tar if member.isfile())
            if files != backup.manifest.get("files"):
                problems.append(f"files: {files} (expected {backup.manifest.get('files')})")
    except (BackupCorrupt, pgtools.PgToolError, OSError, tarfile.TarError, KeyError) as error:
        problems.append(f"{type(error).__name__}: {error}")
    ok = not problems
    Backup.objects.filter(pk=backup.pk).update(
        verified_at=timezone.now(),
        verify_ok=ok,
        verify_detail="All tables and files match the manifest." if ok else "\n".join(problems),
    )
    backup.refresh_from_db()
    if not ok:
        operators_alert(template="backup_verify_failed", context={"backup": backup})
    return backup


def latest_ok(*, system: System) -> Backup | None:
    return (
        Backup.objects.filter(system=system, status=Backup.Status.OK)
        .order_by("-started_at", "-id")
        .first()
    )
