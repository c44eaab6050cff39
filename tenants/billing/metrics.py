"""Numbers the operator watches: Systems by status and monthly recurring revenue."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from tenants.billing.models import MetricsSnapshot
from tenants.models import System


def mrr_now() -> dict[str, Decimal]:
    """Seats in use times the price per seat, for active Systems, per currency."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    paying = System.objects.filter(status=System.Status.ACTIVE, plan__isnull=False).select_related(
        "plan"
    )
    for system in paying:
        totals[system.plan.currency] += system.plan.price_per_seat * system.seats_used
    return dict(totals)


def snapshot_take() -> MetricsSnapshot:
    """Today's row (taken again during the day, it is updated, never duplicated)."""
    counts = dict(
        System.objects.exclude(status=System.Status.POOLED)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    snapshot, _ = MetricsSnapshot.objects.update_or_create(
        day=timezone.now().date(),
        defaults={
            "systems_by_status": counts,
            "mrr": {currency: str(amount) for currency, amount in mrr_now().items()},
            "taken_at": timezone.now(),
        },
    )
    return snapshot
