"""The operator brings a System back to one of its backups, without touching any other.

pg_restore can't rename a schema, and the backup's schema is the System's live one. So the
dump goes into a scratch database first, its schema is renamed there to a new opaque name,
it is dumped again and restored into our database in one transaction; its tables are
checked against the manifest, the files are unpacked beside the live ones, and only then
does the System's row point at the new schema, in one transaction (domains unchanged).
The previous schema and files stay until the operator confirms (then they are dropped) or
swaps back. A backup of the state before the restore (PRE_RESTORE) is taken first. How
people sign in, their roles and active flags are never taken from the backup: in the swap
they keep what they have now (restore_sign_in.py).
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from psycopg import sql

from accounts.models import AuditEvent
from accounts.selectors import admins_and_owner
from accounts.services.audit import audit_record
from servicedesk import mail, queue
from tenants import selectors
from tenants.backups.models import Backup, Restore, RestoreRequest
from tenants.backups.services import backups, pgtools
from tenants.backups.services.restore_sign_in import sign_in_carry_over
from tenants.models import System
from tenants.services import next_schema_name

log = logging.getLogger(__name__)

SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
ACTIVE = (Restore.Status.QUEUED, Restore.Status.RUNNING, Restore.Status.SWAPPED)


def _operator(label: str) -> str:
    return f"Operator ({label})"


@transaction.atomic
def restore_start(
    *, backup: Backup, operator: str, request: RestoreRequest | None = None
) -> Restore:
    """Queue a restore of ``backup``'s System to it (one restore at a time per System)."""
    if backup.status != Backup.Status.OK or backup.system_id is None:
        raise ValidationError(_("Only a complete backup of an existing help desk can be restored."))
    system = System.objects.select_for_update().get(pk=backup.system_id)
    if system.restores.filter(status__in=ACTIVE).exists():
        raise ValidationError(
            _(
                "A restore of this help desk is under way or waits for confirmation; "
                "confirm it or swap back first."
            )
        )
    restore = Restore.objects.create(
        system=system, backup=backup, request=request, operator=operator
    )
    if request is not None:
        RestoreRequest.objects.filter(pk=request.pk).update(
            status=RestoreRequest.Status.IN_PROGRESS,
            handled_by=operator,
            handled_at=timezone.now(),
            backup=request.backup or backup,
        )
    task = queue.task("tenants.tasks.restore_run")

    def send() -> None:
        with schema_context("public"):
            task.delay(restore.pk)

    transaction.on_commit(send)
    return restore


def restore_run(*, restore_id: int) -> Restore | None:
    restore = Restore.objects.select_related("system", "backup").filter(pk=restore_id).first()
    if restore is None or restore.status not in (Restore.Status.QUEUED, Restore.Status.RUNNING):
        return restore
    system = restore.system
    if system is None:  # deleted meanwhile
        _fail(restore_id, "", "The help desk was deleted.")
        return restore
    lease = backups.Lease(f"restore:{restore_id}:lease")
    if not lease.take():
        return None
    new_schema = ""
    try:
        Restore.objects.filter(pk=restore_id).update(status=Restore.Status.RUNNING, error="")
        _leftovers_remove(restore)
        _pre_restore_backup(system)
        new_schema = _new_schema_name()
        Restore.objects.filter(pk=restore_id).update(restored_schema=new_schema)
        _restore_into(restore.backup, new_schema)
        return _swap(restore_id, new_schema)
    except Exception as error:
        _fail(restore_id, new_schema, f"{type(error).__name__}: {error}")
        raise
    finally:
        lease.release()


# A scheduled backup may hold the slot; the restore waits for it rather than failing.
PRE_RESTORE_PATIENCE = timedelta(minutes=30)


def _pre_restore_backup(system: System) -> Backup:
    pre = backups.backup_create(system=system, kind=Backup.Kind.PRE_RESTORE)
    give_up = timezone.now() + PRE_RESTORE_PATIENCE
    while True:
        try:
            done = backups.backup_run(backup_id=pre.pk)
        except backups.BackupBusy:
            if timezone.now() >= give_up:
                raise
            continue
        except Exception as error:
            backups.backup_fail(backup_id=pre.pk, error=f"{type(error).__name__}: {error}")
            raise
        if done is None or done.status != Backup.Status.OK:
            raise RuntimeError("the backup before the restore did not complete")
        return done


def _new_schema_name() -> str:

    with schema_context("public"):
        return next_schema_name()


def _restore_into(backup: Backup, new_schema: str) -> None:
    with tempfile.TemporaryDirectory(prefix=f"{backups.TEMP_PREFIX}restore-") as temp:
        work = Path(temp)
        paths = backups.fetch_checked(backup, work)
        renamed = work / "renamed.dump"
        with pgtools.scratch_database() as scratch:
            pgtools.restore_dump(path=paths[backups.DUMP], dbname=scratch)
            with pgtools.connect(scratch) as conn:
                conn.execute(
                    sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                        sql.Identifier(backup.schema_name),
                        sql.Identifier(new_schema),
                    )
                )
            pgtools.dump_schema(schema=new_schema, path=renamed, dbname=scratch)
        pgtools.restore_dump(path=renamed, dbname=pgtools.main_dbname())
        found = pgtools.checksums_of(schema=new_schema)
        problems = pgtools.compare(backup.manifest.get("tables", {}), found)
        if problems:
            raise backups.BackupCorrupt("; ".join(problems[:5]))
        _migrate(new_schema)
        _sessions_end(new_schema)
        backups.extract_files(paths[backups.FILES], backups.files_root(new_schema))


def _migrate(schema: str) -> None:
    """A backup older than the code misses the migrations written since: apply them."""

    with schema_context("public"):  # and back to public afterwards, whatever it leaves
        call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)


def _sessions_end(schema: str) -> None:
    """Sessions from the backup's time would sign people back in (even those who signed
    out or changed a password since): everyone signs in again after a restore."""
    with connection.cursor() as cursor:
        for table in ("django_session", "usersessions_usersession"):
            cursor.execute(f'DELETE FROM "{schema}"."{table}"')  # noqa: S608 - our names


def _swap(restore_id: int, new_schema: str) -> Restore:
    with transaction.atomic():
        restore = Restore.objects.select_for_update().get(pk=restore_id)
        system = System.objects.select_for_update().get(pk=restore.system_id)
        previous = system.schema_name
        kept = sign_in_carry_over(previous=previous, restored=new_schema)
        System.objects.filter(pk=system.pk).update(
            schema_name=new_schema, seats_used=kept.seats_used, owner_email=kept.owner_email
        )
        now = timezone.now()
        Restore.objects.filter(pk=restore_id).update(
            status=Restore.Status.SWAPPED,
            previous_schema=previous,
            restored_schema=new_schema,
            swapped_at=now,
        )
        if restore.request_id:
            RestoreRequest.objects.filter(pk=restore.request_id).update(
                status=RestoreRequest.Status.DONE, handled_at=now
            )
        system.schema_name = new_schema
        backup = restore.backup
        with schema_context(new_schema):
            audit_record(
                action=AuditEvent.Action.SYSTEM_RESTORED,
                actor_label_override=_operator(restore.operator),
                target=f"backup of {backup.started_at:%Y-%m-%d %H:%M} UTC",
                detail={
                    "backup_id": backup.pk,
                    "restore_id": restore.pk,
                    "sign_in_kept": kept.kept,
                    "deactivated": kept.deactivated,
                },
            )
            mail.send_templated(
                to=list(admins_and_owner().values_list("email", flat=True)),
                template="system_restored",
                essential=True,
                context={
                    "system": system,
                    "backup": backup,
                    "url": selectors.system_url(system=system),
                },
            )
    restore.refresh_from_db()
    return restore


def _drop_schema(name: str) -> None:
    if not name:
        return
    if not SCHEMA_NAME.fullmatch(name) or name == "public":
        raise ValueError(f"not a System's schema: {name!r}")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def _fail(restore_id: int, new_schema: str, error: str) -> None:
    restore = Restore.objects.select_related("system").get(pk=restore_id)
    if restore.status == Restore.Status.SWAPPED or (
        new_schema and restore.system is not None and restore.system.schema_name == new_schema
    ):
        return  # it swapped; what failed came after
    _drop_schema(new_schema)
    if new_schema:
        shutil.rmtree(backups.files_root(new_schema), ignore_errors=True)
    Restore.objects.filter(pk=restore_id).update(
        status=Restore.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )
    if restore.request_id:
        RestoreRequest.objects.filter(pk=restore.request_id).update(
            status=RestoreRequest.Status.OPEN
        )
    restore.refresh_from_db()
    backups.operators_alert(template="restore_failed", context={"restore": restore})


def _leftovers_remove(restore: Restore) -> None:
    """A worker that died mid-restore may have left a schema nothing points at."""
    stale = restore.restored_schema
    if stale and not System.objects.filter(schema_name=stale).exists():
        _drop_schema(stale)
        shutil.rmtree(backups.files_root(stale), ignore_errors=True)


def restores_fail_stalled() -> int:
    """Restores whose worker died (their lease lapsed): drop what they made and mark them
    failed, so the operator can start again (a restore is never retried on its own). Also
    the schemas an unconfirmed restore kept for a System that was deleted since."""
    count = restores_of_deleted_systems_clear()
    for restore in Restore.objects.filter(status=Restore.Status.RUNNING):
        if backups.lease_held_named(f"restore:{restore.pk}:lease"):
            continue
        _fail(restore.pk, restore.restored_schema, "The worker stopped during the restore.")
        count += 1
    return count


def restores_of_deleted_systems_clear() -> int:
    """Drop the previous (and any half-made) schema and files of restores whose System was
    deleted before they were confirmed or swapped back."""
    in_use = set(System.objects.values_list("schema_name", flat=True))
    count = 0
    for restore in Restore.objects.filter(system__isnull=True, status=Restore.Status.SWAPPED):
        for name in (restore.previous_schema, restore.restored_schema):
            if name and name not in in_use:
                _drop_schema(name)
                shutil.rmtree(backups.files_root(name), ignore_errors=True)
        Restore.objects.filter(pk=restore.pk).update(
            status=Restore.Status.CONFIRMED,
            finished_at=timezone.now(),
            error="The help desk was deleted; the data kept from before the restore was removed.",
        )
        count += 1
    return count


@transaction.atomic
def restore_confirm(*, restore: Restore, operator: str) -> Restore:
    """The restored data is right: drop the previous schema and files."""
    restore = Restore.objects.select_for_update().get(pk=restore.pk)
    if restore.status != Restore.Status.SWAPPED:
        raise ValidationError(_("Only a restore that is live and unconfirmed can be confirmed."))
    if System.objects.filter(schema_name=restore.previous_schema).exists():
        raise ValidationError(_("The previous schema is in use; nothing was dropped."))
    _drop_schema(restore.previous_schema)
    previous_files = backups.files_root(restore.previous_schema)
    transaction.on_commit(lambda: shutil.rmtree(previous_files, ignore_errors=True))
    Restore.objects.filter(pk=restore.pk).update(
        status=Restore.Status.CONFIRMED, finished_at=timezone.now()
    )
    system = System.objects.filter(pk=restore.system_id).first()
    if system is not None:  # a System deleted meanwhile has no audit log left
        with schema_context(system.schema_name):
            audit_record(
                action=AuditEvent.Action.SYSTEM_RESTORED,
                actor_label_override=_operator(operator),
                target="restore confirmed; the data from before it is removed",
                detail={"restore_id": restore.pk, "confirmed": True},
            )
    restore.refresh_from_db()
    return restore


@transaction.atomic
def restore_rollback(*, restore: Restore, operator: str) -> Restore:
    """Swap back to the schema and files from before the restore; drop the restored ones."""
    restore = Restore.objects.select_for_update().get(pk=restore.pk)
    if restore.status != Restore.Status.SWAPPED or restore.system_id is None:
        raise ValidationError(_("Only a restore that is live and unconfirmed can be swapped back."))
    system = System.objects.select_for_update().get(pk=restore.system_id)
    if system.schema_name != restore.restored_schema:
        raise ValidationError(_("The help desk no longer runs on the restored schema."))
    System.objects.filter(pk=system.pk).update(schema_name=restore.previous_schema)
    _drop_schema(restore.restored_schema)
    restored_files = backups.files_root(restore.restored_schema)
    transaction.on_commit(lambda: shutil.rmtree(restored_files, ignore_errors=True))
    Restore.objects.filter(pk=restore.pk).update(
        status=Restore.Status.ROLLED_BACK, finished_at=timezone.now()
    )
    with schema_context(restore.previous_schema):
        audit_record(
            action=AuditEvent.Action.SYSTEM_RESTORED,
            actor_label_override=_operator(operator),
            target="swapped back to the data from before the restore",
            detail={"restore_id": restore.pk, "rolled_back": True},
        )
    restore.refresh_from_db()
    return restore
