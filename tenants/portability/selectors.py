"""Reads of exports."""

from __future__ import annotations

from django.db.models import Sum

from tenants.models.tenancy import System
from tenants.portability.models import Export


def exports_of(*, system: System, limit: int = 10) -> list[Export]:
    """The latest exports of ``system``, newest first."""
    return list(Export.objects.filter(system_id=system.pk).order_by("-created_at", "-id")[:limit])


def export_of(*, system: System, export_id: int) -> Export | None:
    """One export, only if it belongs to ``system``."""
    return Export.objects.select_related("system").filter(pk=export_id, system_id=system.pk).first()


def export_archive_bytes(system: System) -> int:
    """Bytes of the System's export archives waiting to be downloaded (they count towards
    its storage)."""
    total = Export.objects.filter(system=system, status=Export.Status.READY).aggregate(
        total=Sum("size")
    )["total"]
    return int(total or 0)
