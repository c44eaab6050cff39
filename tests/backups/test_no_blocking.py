"""A backup never blocks the site: pg_dump holds only ACCESS SHARE locks, so people keep
reading and writing every table while it runs."""

from __future__ import annotations

import threading
import time

import psycopg

from tenants.backups.models import Backup
from tenants.backups.services import backups
from tests.backups.conftest import fill
from tests.support.worker import database_url


def test_people_keep_writing_while_a_backup_runs(backups_cleanup):
    system = backups_cleanup.system("bk-live", owner="owner@bk-live.example")
    fill(system, tickets=3)
    schema = system.schema_name
    backup = backups.backup_create(system=system)
    blocker = psycopg.connect(database_url(), autocommit=False)
    watcher = psycopg.connect(database_url(), autocommit=True)
    errors: list[BaseException] = []

    def run() -> None:
        from django.db import connection

        try:
            backups.backup_run(backup_id=backup.pk)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    # pg_dump locks every table first; one table held by someone else keeps it there, with
    # all the other locks it took.
    blocker.execute(f'LOCK TABLE "{schema}".tickets_tag IN ACCESS EXCLUSIVE MODE')
    thread = threading.Thread(target=run)
    thread.start()
    try:
        modes = _wait_for_pg_dump_locks(watcher)
        assert modes == {"AccessShareLock"}
        # The site writes to the tables pg_dump has locked, without waiting.
        with psycopg.connect(database_url(), autocommit=True) as site:
            site.execute("SET lock_timeout = '2s'")
            site.execute(f"UPDATE \"{schema}\".tickets_ticket SET subject = subject || '!'")
            site.execute(f'DELETE FROM "{schema}".tickets_reply WHERE false')
    finally:
        blocker.rollback()
        thread.join(60)
        blocker.close()
        watcher.close()
    assert not errors, errors
    backup.refresh_from_db()
    assert backup.status == Backup.Status.OK


def _wait_for_pg_dump_locks(conn, seconds: float = 30) -> set[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        waiting = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'pg_dump' "
            "AND datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
        if waiting:
            rows = conn.execute(
                "SELECT DISTINCT mode FROM pg_locks WHERE pid = %s AND granted "
                "AND locktype = 'relation' AND relation NOT IN "
                "(SELECT oid FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace)",
                [waiting[0]],
            ).fetchall()
            return {row[0] for row in rows}
        time.sleep(0.05)
    raise AssertionError("pg_dump never waited")
