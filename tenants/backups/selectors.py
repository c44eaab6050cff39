"""Reads for backups and restore requests (customer pages and admin)."""

from __future__ import annotations

from django.db.models import QuerySet

from tenants.backups.models import Backup, Restore, RestoreRequest
from tenants.models import System

# The customer picks from this many recent backups; older ones are reached by a moment.
BACKUP_CHOICES = 30


def backups_offered(*, system: System) -> QuerySet[Backup]:
    """Complete backups of ``system``, newest first, that a restore can use."""
    return Backup.objects.filter(system=system, status=Backup.Status.OK).order_by(
        "-started_at", "-id"
    )[:BACKUP_CHOICES]


def restore_requests_of(*, system: System, limit: int = 20) -> QuerySet[RestoreRequest]:
    return (
        RestoreRequest.objects.filter(system=system)
        .select_related("backup")
        .order_by("-created_at", "-id")[:limit]
    )


def system_restored_from(*, schema_name: str) -> System | None:
    """The System a restore moved off ``schema_name`` (still off it), if any."""
    restore = (
        Restore.objects.filter(
            previous_schema=schema_name,
            status__in=[Restore.Status.SWAPPED, Restore.Status.CONFIRMED],
        )
        .select_related("system")
        .order_by("-swapped_at")
        .first()
    )
    if restore is None or restore.system is None or restore.system.schema_name == schema_name:
        return None
    return restore.system
