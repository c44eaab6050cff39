"""Retention of backups: which to keep (a pure function) and removing the rest."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from tenants.backups.models import Backup
from tenants.backups.services.backups import _remove_artifacts


def backups_to_keep(
    backups: Iterable[tuple[int, datetime]],
    *,
    now: datetime,
    keep_daily: int,
    keep_weekly: int,
    keep_latest: bool = True,
) -> set[int]:
    """Which of ``backups`` (id, when taken) retention keeps: all of the last 24 hours
    (hourly plans), the newest of each of the last ``keep_daily`` days, the newest of each
    of the last ``keep_weekly`` weeks (Monday to Sunday, UTC), and the newest of all when
    ``keep_latest`` (a live System is never left without one)."""
    items = sorted(backups, key=lambda item: (item[1], item[0]), reverse=True)
    keep: set[int] = set()
    if keep_latest and items:
        keep.add(items[0][0])
    today = now.astimezone(UTC).date()
    days = {today - timedelta(days=n) for n in range(keep_daily)}
    this_monday = today - timedelta(days=today.weekday())
    weeks = {this_monday - timedelta(weeks=n) for n in range(keep_weekly)}
    seen_days: set[date] = set()
    seen_weeks: set[date] = set()
    for pk, taken in items:
        if taken > now - timedelta(hours=24):
            keep.add(pk)
        day = taken.astimezone(UTC).date()
        if day in days and day not in seen_days:
            seen_days.add(day)
            keep.add(pk)
        monday = day - timedelta(days=day.weekday())
        if monday in weeks and monday not in seen_weeks:
            seen_weeks.add(monday)
            keep.add(pk)
    return keep


def backups_expire(*, now: datetime | None = None) -> int:
    """Remove the artifacts of OK backups retention doesn't keep (per System; deleted
    Systems' backups, grouped by their old schema, age out by the same rule)."""
    now = now or timezone.now()
    groups: dict[tuple[int | None, str], list[tuple[int, datetime]]] = {}
    live: set[tuple[int | None, str]] = set()
    rows = Backup.objects.filter(status=Backup.Status.OK).values_list(
        "pk", "system_id", "schema_name", "started_at"
    )
    for pk, system_id, schema, started in rows:
        group: tuple[int | None, str] = (system_id, "" if system_id else schema)
        groups.setdefault(group, []).append((pk, started))
        if system_id is not None:
            live.add(group)
    # A restore under way needs its backup; the copy taken before a restore is the way back
    # for as long as daily backups are kept.
    in_use = set(
        Backup.objects.filter(restores__status__in=["queued", "running", "swapped"]).values_list(
            "pk", flat=True
        )
    ) | set(
        Backup.objects.filter(
            kind=Backup.Kind.PRE_RESTORE,
            started_at__gt=now - timedelta(days=settings.BACKUP_KEEP_DAILY),
        ).values_list("pk", flat=True)
    )
    count = 0
    for group, items in groups.items():
        keep = backups_to_keep(
            items,
            now=now,
            keep_daily=settings.BACKUP_KEEP_DAILY,
            keep_weekly=settings.BACKUP_KEEP_WEEKLY,
            keep_latest=group in live,
        )
        for pk, _ in items:
            if pk in keep or pk in in_use:
                continue
            backup = Backup.objects.get(pk=pk)
            _remove_artifacts(backup)
            Backup.objects.filter(pk=pk).update(status=Backup.Status.EXPIRED, expired_at=now)
            count += 1
    return count
