from __future__ import annotations

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from tenants.models import Customer, Domain, Export, Invoice, Plan, ScheduledDeletion, System

# A System answers on its host in these states; pooled schemas have no domain at all.
REACHABLE_STATUSES = (
    System.Status.TRIAL,
    System.Status.ACTIVE,
    System.Status.SUSPENDED,
    System.Status.TERMINATED,
)


def system_for_host(*, host: str) -> System | None:
    # When its owner scheduled its deletion (deletes): the banner shows the date, and
    # once it is due the System answers 404 even before the job has removed it.
    pending = ScheduledDeletion.objects.filter(
        system_id=OuterRef("tenant_id"), cancelled_at__isnull=True
    ).values("due_at")[:1]
    domain = (
        Domain.objects.select_related("tenant")
        .filter(domain=host, tenant__status__in=REACHABLE_STATUSES)
        .annotate(deletion_due_at=Subquery(pending))
        .first()
    )
    if domain is None:
        return None
    if domain.deletion_due_at is not None and domain.deletion_due_at <= timezone.now():
        return None
    domain.tenant.deletion_due_at = domain.deletion_due_at
    return domain.tenant


def system_domain(*, slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def system_url(*, system: System, path: str = "/") -> str:
    assert system.slug, "a pooled System has no address"
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{system_domain(slug=system.slug)}{port}{path}"


def public_url(*, path: str = "/") -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}{path}"


def pool_size() -> int:
    return System.objects.filter(status=System.Status.POOLED).count()


def slug_is_taken(*, slug: str) -> bool:
    return System.objects.filter(slug=slug).exists()


def reference_customers(limit: int = 12) -> list[str]:
    """Names of customers whose System agreed to be shown as a reference."""
    return list(
        Customer.objects.filter(
            systems__consent_reference=True, systems__status__in=REACHABLE_STATUSES
        )
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)[:limit]
    )


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


def exports_of(*, system: System, limit: int = 10) -> list[Export]:
    """The latest exports of ``system``, newest first."""
    return list(Export.objects.filter(system_id=system.pk).order_by("-created_at", "-id")[:limit])


def export_of(*, system: System, export_id: int) -> Export | None:
    """One export, only if it belongs to ``system``."""
    return Export.objects.select_related("system").filter(pk=export_id, system_id=system.pk).first()
