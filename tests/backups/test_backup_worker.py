"""Backups run by real workers: a worker killed half-way leaves nothing kept, and the next
attempt completes; the last failed attempt keeps nothing either."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile

from servicedesk.celery import app
from tenants.backups.models import Backup
from tenants.backups.services import backups
from tests.backups.conftest import checksums, fill
from tests.support.worker import Worker, database_url, eager_off, wait_until

pytestmark = pytest.mark.worker


def _stored(backup: Backup) -> list[str]:
    store = backups.storage()
    if not store.exists(backup.location):
        return []
    return sorted(store.listdir(backup.location)[1])


def _temp_dirs(backup: Backup) -> list[Path]:
    import tempfile

    return list(Path(tempfile.gettempdir()).glob(f"{backups.TEMP_PREFIX}{backup.pk}-*"))


def test_a_worker_killed_mid_backup_keeps_nothing_and_the_retry_completes(
    backups_cleanup, tmp_path_factory
):
    committed = backups_cleanup
    system = committed.system("bk-fault", owner="owner@bk-fault.example")
    fill(system, tickets=10)
    queue = f"{app.conf.task_default_queue}-bk-fault"
    env = {"BACKUP_LEASE_SECONDS": "3"}
    first = Worker(tmp_path_factory.mktemp("bk-fault-mail"), queue=queue, env=env).start()
    routes = app.conf.task_routes
    app.conf.update(task_routes={"tenants.tasks.backup_run": {"queue": queue}})
    # Hold a lock pg_dump must wait for, so the worker is caught with its dump half-made.
    blocker = psycopg.connect(database_url(), autocommit=False)
    watcher = psycopg.connect(database_url(), autocommit=True)
    second = None
    try:
        blocker.execute(f'LOCK TABLE "{system.schema_name}".tickets_reply IN ACCESS EXCLUSIVE MODE')
        with eager_off():
            backup = backups.backup_request(system=system)
        wait_until(lambda: _pg_dump_waiting(watcher), 60)
        assert _temp_dirs(backup), "the dump is being written to a temporary directory"

        first.kill()
        blocker.rollback()

        stuck = Backup.objects.get(pk=backup.pk)
        assert stuck.status == Backup.Status.RUNNING and stuck.attempts == 1
        assert _stored(stuck) == []
        # What a dead attempt could have left in the storage (an upload cut short).
        backups.storage().save(f"{backup.location}/{backups.DUMP}", ContentFile(b"half"))
        wait_until(lambda: not backups.lease_held(backup.pk), 10)  # the lease lapses

        second = Worker(tmp_path_factory.mktemp("bk-fault-mail-2"), queue=queue, env=env).start()
        with eager_off():
            assert backups.backups_resume_stalled() >= 1
        done = wait_until(
            lambda: Backup.objects.filter(pk=backup.pk, status=Backup.Status.OK).first(), 90
        )
    finally:
        app.conf.update(task_routes=routes)
        blocker.close()
        watcher.close()
        first.stop()
        if second is not None:
            second.stop()

    assert done.attempts == 2
    assert _stored(done) == sorted(backups.ARTIFACTS)
    assert _temp_dirs(done) == []
    assert done.manifest["tables"] == checksums(system)
    verified = backups.backup_verify(backup_id=done.pk)
    assert verified is not None and verified.verify_ok, verified.verify_detail


def _pg_dump_waiting(conn) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name = 'pg_dump' AND wait_event_type = 'Lock'"
    ).fetchone()
    return row[0] > 0


def test_the_last_failed_attempt_keeps_nothing_and_tells_the_operators(
    backups_cleanup, monkeypatch, settings, mailoutbox
):
    settings.BACKUP_MAX_ATTEMPTS = 1
    settings.OPERATOR_EMAIL = "ops@example.com"
    system = backups_cleanup.system("bk-fail", owner="owner@bk-fail.example")
    uploaded: list[str] = []
    real_upload = backups._upload

    def upload_then_break(source, name):
        if uploaded:
            raise OSError("storage went away")
        real_upload(source, name)
        uploaded.append(name)

    monkeypatch.setattr(backups, "_upload", upload_then_break)
    with pytest.raises(OSError, match="storage went away"):
        backups.backup_request(system=system)

    backup = Backup.objects.get(system=system)
    assert uploaded and backup.status == Backup.Status.FAILED
    assert "storage went away" in backup.error
    assert _stored(backup) == [] and _temp_dirs(backup) == []
    assert any("Backup of bk-fail failed" in m.subject for m in mailoutbox)


def test_a_worker_backs_up_restores_and_the_owner_is_told(worker, backups_cleanup):
    from accounts.models import User
    from tenants.backups.models import Restore
    from tenants.backups.services import restores
    from tests.support.tenancy import in_schema
    from tickets.models import Ticket

    system = backups_cleanup.system("bk-worker", owner="owner@bk-worker.example")
    fill(system, tickets=3)
    backup = backups.backup_request(system=system)
    done = wait_until(
        lambda: Backup.objects.filter(pk=backup.pk, status=Backup.Status.OK).first(), 60
    )
    fill(system, tickets=2, prefix="Later")
    with in_schema(system):
        owner = User.objects.get(email="owner@bk-worker.example")
        owner.set_password("chosen-after-the-backup")
        owner.save()

    restore = restores.restore_start(backup=done, operator="op@example.com")
    swapped = wait_until(
        lambda: Restore.objects.filter(pk=restore.pk, status=Restore.Status.SWAPPED).first(), 120
    )
    system.refresh_from_db()
    assert system.schema_name == swapped.restored_schema
    with in_schema(system):
        assert Ticket.objects.count() == 3
        # The data is the backup's; the owner's password is today's.
        assert User.objects.get(pk=owner.pk).check_password("chosen-after-the-backup")
    worker.drain()
    assert any("restored from a backup" in str(m["Subject"]) for m in worker.mails())


def test_a_task_queued_in_the_schema_a_restore_replaced_runs_in_the_restored_system(
    worker, backups_cleanup
):
    import json
    import uuid

    from servicedesk import redis
    from tenants.backups.models import Restore
    from tenants.backups.services import restores
    from tests.support.worker import wait_for_key

    system = backups_cleanup.system("bk-late", owner="owner@bk-late.example")
    backup = backups.backup_create(system=system)
    backups.backup_run(backup_id=backup.pk)
    backup.refresh_from_db()
    old_schema = system.schema_name
    restore = restores.restore_start(backup=backup, operator="op@example.com")
    swapped = wait_until(
        lambda: Restore.objects.filter(pk=restore.pk, status=Restore.Status.SWAPPED).first(), 120
    )

    key = redis.key(f"late-{uuid.uuid4().hex}")
    with eager_off():
        app.send_task(
            "tests.probe.record_users",
            args=[key],
            queue=worker.queue,
            headers={"_schema_name": old_schema},
        )
    ran = json.loads(wait_for_key(key, 30))
    assert ran["schema"] == swapped.restored_schema != old_schema
    assert ran["emails"] == ["owner@bk-late.example"]


def test_a_task_for_a_schema_no_system_has_is_skipped_not_run_in_public(worker):
    import uuid

    from servicedesk import redis

    key = redis.key(f"orphan-{uuid.uuid4().hex}")
    with eager_off():
        app.send_task(
            "tests.probe.record_users",
            args=[key],
            queue=worker.queue,
            headers={"_schema_name": "s_999998"},
        )
    worker.drain()  # it has run (or been skipped) by now
    assert redis.client().get(key) is None
