"""Reads of plans and invoices."""

from __future__ import annotations

from django.conf import settings

from tenants.billing.models import Invoice, Plan
from tenants.models.tenancy import System


def trial_days() -> int:
    """How long a new System's trial runs: the entry plan's (the cheapest one offered)
    trial length, or TRIAL_DAYS before the operator has made any plan."""
    entry = Plan.objects.filter(is_active=True).order_by("price_per_seat", "name").first()
    return entry.trial_days if entry is not None else settings.TRIAL_DAYS


def invoices_of(*, system: System, limit: int = 36) -> list[Invoice]:
    """The latest invoices of ``system``, newest first, with their payments."""
    return list(
        Invoice.objects.filter(system_id=system.pk)
        .prefetch_related("payments")
        .order_by("-issued_at", "-id")[:limit]
    )


def invoice_of(*, system: System, number: str) -> Invoice | None:
    return (
        Invoice.objects.select_related("customer")
        .prefetch_related("payments")
        .filter(number=number, system_id=system.pk)
        .first()
    )
