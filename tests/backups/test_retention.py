"""Retention keeps 7 daily and 4 weekly backups (and the last day's, and a live System's
newest); the rest lose their files and are marked expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile

from tenants.backups.models import Backup
from tenants.backups.services import backups
from tenants.backups.services.retention import backups_expire, backups_to_keep

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday


def daily(days: int, hour: int = 2) -> list[tuple[int, datetime]]:
    start = NOW.replace(hour=hour, minute=0)
    return [(n, start - timedelta(days=n)) for n in range(days)]


def test_it_keeps_seven_days_and_four_weeks_of_daily_backups():
    keep = backups_to_keep(daily(60), now=NOW, keep_daily=7, keep_weekly=4)
    taken = {pk: when for pk, when in daily(60)}
    kept_days = sorted(taken[pk].date().isoformat() for pk in keep)
    assert kept_days == [
        "2026-11-08",  # Sunday: the newest of the week of 2 November
        "2026-11-15",  # ...of 9 November
        "2026-11-20",
        "2026-11-21",
        "2026-11-22",
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
    ]


def test_it_keeps_the_newest_of_each_day_when_there_are_several():
    items = [(1, NOW - timedelta(hours=30)), (2, NOW - timedelta(hours=27))]  # same day
    assert backups_to_keep(items, now=NOW, keep_daily=7, keep_weekly=4) == {2}


def test_it_keeps_every_backup_of_the_last_24_hours():
    hourly = [(n, NOW - timedelta(hours=n)) for n in range(48)]
    keep = backups_to_keep(hourly, now=NOW, keep_daily=7, keep_weekly=4)
    assert set(range(24)) <= keep
    # Older: only each day's newest (23:00 on the 24th is n=37).
    assert 37 in keep and not {24, 36, 38} & keep


def test_a_live_system_keeps_its_newest_backup_however_old():
    old = [(1, NOW - timedelta(days=90)), (2, NOW - timedelta(days=80))]
    assert backups_to_keep(old, now=NOW, keep_daily=7, keep_weekly=4) == {2}
    assert backups_to_keep(old, now=NOW, keep_daily=7, keep_weekly=4, keep_latest=False) == set()


def _backup(system, *, days_ago: float, schema: str | None = None) -> Backup:
    taken = NOW - timedelta(days=days_ago)
    backup = Backup.objects.create(
        system=system,
        system_slug=system.slug if system else "gone",
        schema_name=schema or system.schema_name,
        status=Backup.Status.OK,
        started_at=taken,
        location=f"test-retention/{schema or system.schema_name}/{taken:%Y%m%d%H%M}",
    )
    for name in backups.ARTIFACTS:
        backups.storage().save(f"{backup.location}/{name}", ContentFile(b"x"))
    return backup


def test_expiry_removes_the_files_and_marks_the_rows(system_a):
    kept = [_backup(system_a, days_ago=n) for n in range(3)]
    old = _backup(system_a, days_ago=45)
    assert backups_expire(now=NOW) == 1
    old.refresh_from_db()
    assert old.status == Backup.Status.EXPIRED and old.expired_at == NOW
    assert not backups.storage().exists(f"{old.location}/{backups.DUMP}")
    for backup in kept:
        backup.refresh_from_db()
        assert backup.status == Backup.Status.OK
        assert backups.storage().exists(f"{backup.location}/{backups.DUMP}")


def test_backups_of_a_deleted_system_age_out_by_the_same_rule(db):
    recent = _backup(None, days_ago=1, schema="s_999991")
    old = _backup(None, days_ago=40, schema="s_999991")
    assert backups_expire(now=NOW) == 1
    recent.refresh_from_db()
    old.refresh_from_db()
    assert recent.status == Backup.Status.OK
    assert old.status == Backup.Status.EXPIRED
    # Once its last week is over, nothing of it is kept: there is no System to restore.
    assert backups_expire(now=NOW + timedelta(days=40)) == 1
    recent.refresh_from_db()
    assert recent.status == Backup.Status.EXPIRED


def test_the_copy_taken_before_a_restore_is_kept_for_a_week(system_a):
    newest = _backup(system_a, days_ago=0.1)
    pre = _backup(system_a, days_ago=0.2)
    Backup.objects.filter(pk=pre.pk).update(kind=Backup.Kind.PRE_RESTORE)
    later = NOW + timedelta(days=2)  # no longer the newest of its day, nor of the last 24 h
    assert backups_expire(now=later) == 0
    assert backups_expire(now=NOW + timedelta(days=8)) == 1
    pre.refresh_from_db()
    newest.refresh_from_db()
    assert pre.status == Backup.Status.EXPIRED and newest.status == Backup.Status.OK
