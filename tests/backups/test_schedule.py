"""Backups are due by the plan's frequency (daily without a plan), one per System at a
time, and only one runs at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tenants.backups.models import Backup
from tenants.backups.services import backups
from tenants.billing.models import Plan
from tests.factories import PlanFactory


def _backup(system, *, ago: timedelta, status: str = Backup.Status.OK) -> Backup:
    return Backup.objects.create(
        system=system,
        system_slug=system.slug,
        schema_name=system.schema_name,
        status=status,
        started_at=timezone.now() - ago,
    )


def test_a_system_without_a_plan_is_backed_up_daily(system_a):
    assert system_a.pk in backups.backups_due()
    _backup(system_a, ago=timedelta(hours=2))
    assert system_a.pk not in backups.backups_due()
    assert system_a.pk in backups.backups_due(now=timezone.now() + timedelta(hours=22))


def test_a_failed_backup_does_not_count(system_a):
    _backup(system_a, ago=timedelta(hours=1), status=Backup.Status.FAILED)
    assert system_a.pk in backups.backups_due()


@pytest.mark.parametrize(
    ("frequency", "ago", "due"),
    [
        (Plan.BackupFrequency.HOURLY, timedelta(minutes=50), True),
        (Plan.BackupFrequency.HOURLY, timedelta(minutes=20), False),
        (Plan.BackupFrequency.TWICE_DAILY, timedelta(hours=12), True),
        (Plan.BackupFrequency.TWICE_DAILY, timedelta(hours=6), False),
        (Plan.BackupFrequency.WEEKLY, timedelta(days=3), False),
        (Plan.BackupFrequency.WEEKLY, timedelta(days=7), True),
    ],
)
def test_the_plans_frequency_decides(system_a, frequency, ago, due):
    system_a.plan = PlanFactory(backup_frequency=frequency)
    system_a.save(update_fields=["plan"])
    _backup(system_a, ago=ago)
    assert (system_a.pk in backups.backups_due()) is due


def test_the_beat_queues_one_backup_per_due_system_and_never_two(system_a, system_b):
    _backup(system_b, ago=timedelta(hours=1))
    assert backups.backups_schedule() >= 1
    running = Backup.objects.filter(system=system_a, status=Backup.Status.RUNNING)
    assert running.count() == 1
    assert running.get().location.startswith(f"{system_a.schema_name}/")
    assert not Backup.objects.filter(system=system_b, status=Backup.Status.RUNNING).exists()
    assert backups.backups_schedule() == 0


def test_a_backup_waits_while_others_hold_every_slot(system_a, settings):
    settings.BACKUP_SLOT_WAIT_SECONDS = 0
    settings.BACKUP_CONCURRENCY = 2
    backup = backups.backup_create(system=system_a)
    first = backups.slot_take(0)
    second = backups.slot_take(0)
    assert first is not None and second is not None and first.key != second.key
    try:
        with pytest.raises(backups.BackupBusy):
            backups.backup_run(backup_id=backup.pk)
    finally:
        first.release()
        second.release()
    backup.refresh_from_db()
    assert backup.status == Backup.Status.RUNNING and backup.attempts == 0
    assert not backups.lease_held(backup.pk)  # free for the retry


def test_a_restore_waits_for_the_slot_instead_of_failing(system_a, monkeypatch):
    from tenants.backups.services import restores

    calls: list[int] = []

    def busy_twice(*, backup_id: int):
        calls.append(backup_id)
        if len(calls) < 3:
            raise backups.BackupBusy("another backup is running")
        Backup.objects.filter(pk=backup_id).update(status=Backup.Status.OK)
        return Backup.objects.get(pk=backup_id)

    monkeypatch.setattr(backups, "backup_run", busy_twice)
    done = restores._pre_restore_backup(system_a)
    assert done.kind == Backup.Kind.PRE_RESTORE and done.status == Backup.Status.OK
    assert calls == [done.pk] * 3
