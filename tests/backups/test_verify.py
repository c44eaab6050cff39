"""Verification restores a backup into a scratch database and compares it with its
manifest; a damaged backup is flagged and the operators are told."""

from __future__ import annotations

from django.core.files.base import ContentFile

from tenants.backups.models import Backup
from tenants.backups.services import backups, pgtools
from tests.backups.conftest import fill


def _scratch_databases() -> list[str]:
    with pgtools.connect() as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"{pgtools.main_dbname()[:40]}_scr_%"],
        ).fetchall()
    return [row[0] for row in rows]


def _backup_of(committed, slug: str) -> Backup:
    system = committed.system(slug, owner=f"owner@{slug}.example")
    fill(system, tickets=3)
    backup = backups.backup_request(system=system)
    backup.refresh_from_db()
    assert backup.status == Backup.Status.OK, backup.error
    return backup


def test_a_sound_backup_verifies(backups_cleanup, mailoutbox):
    backup = _backup_of(backups_cleanup, "bk-verify")
    checked = backups.backup_verify(system=backup.system)
    assert checked is not None and checked.pk == backup.pk
    assert checked.verify_ok is True and checked.verified_at is not None
    assert "match" in checked.verify_detail
    assert _scratch_databases() == []
    assert not [m for m in mailoutbox if "verification" in m.subject]


def test_a_corrupted_artifact_fails_verification_and_alerts_the_operators(
    backups_cleanup, mailoutbox, settings
):
    settings.OPERATOR_EMAIL = "ops@example.com"
    backup = _backup_of(backups_cleanup, "bk-corrupt")
    name = f"{backup.location}/{backups.DUMP}"
    backups.storage().delete(name)
    backups.storage().save(name, ContentFile(b"PGDMP not really a dump"))

    checked = backups.backup_verify(backup_id=backup.pk)
    assert checked is not None and checked.verify_ok is False
    assert "schema.dump: SHA-256 differs" in checked.verify_detail
    alert = [m for m in mailoutbox if "failed verification" in m.subject]
    assert alert and alert[0].to == ["ops@example.com"]
    assert _scratch_databases() == []


def test_a_backup_whose_data_differs_from_its_manifest_fails_verification(backups_cleanup):
    backup = _backup_of(backups_cleanup, "bk-differ")
    manifest = backup.manifest
    manifest["tables"]["tickets_ticket"]["rows"] = 4
    manifest["tables"]["tickets_reply"]["checksum"] = "12345"
    Backup.objects.filter(pk=backup.pk).update(manifest=manifest)

    checked = backups.backup_verify(backup_id=backup.pk)
    assert checked is not None and checked.verify_ok is False
    assert "tickets_ticket: 3 rows (expected 4)" in checked.verify_detail
    assert "tickets_reply: checksum differs" in checked.verify_detail


def test_the_beat_verifies_each_systems_latest_unverified_backup(system_a, system_b, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from tenants.backups import tasks

    def make(system, *, hours_ago: int, **fields) -> Backup:
        return Backup.objects.create(
            system=system,
            system_slug=system.slug,
            schema_name=system.schema_name,
            status=fields.pop("status", Backup.Status.OK),
            started_at=timezone.now() - timedelta(hours=hours_ago),
            **fields,
        )

    make(system_a, hours_ago=30)
    latest_a = make(system_a, hours_ago=2)
    make(system_a, hours_ago=1, status=Backup.Status.RUNNING)
    make(system_b, hours_ago=3, verified_at=timezone.now(), verify_ok=True)
    queued: list[int] = []
    monkeypatch.setattr(tasks.backup_verify, "delay", queued.append)
    assert tasks.backups_verify() == 1
    assert queued == [latest_a.pk]


def test_scratch_databases_left_by_a_dead_worker_are_swept_after_some_hours(db):
    import time

    from psycopg import sql

    prefix = f"{pgtools.main_dbname()[:40]}_scr_"
    old, fresh = f"{prefix}{int(time.time()) - 7 * 3600}_aaaaaa", f"{prefix}{int(time.time())}_bb"
    with pgtools.connect() as admin:
        for name in (old, fresh):
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        assert pgtools.scratch_databases_sweep() == [old]
        assert _scratch_databases() == [fresh]
    finally:
        with pgtools.connect() as admin:
            for name in (old, fresh):
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
