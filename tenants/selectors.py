from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from servicedesk.locales import DEFAULT_TIME_ZONE, is_time_zone
from servicedesk.schema import current_schema, in_public_schema
from tenants.models import Customer, Domain, ScheduledDeletion, System

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


def current_system_silenced() -> bool:
    """Whether the current schema is a suspended or terminated System: its people can't
    work, so it sends only essential mail (billing, lifecycle, account security)."""
    if in_public_schema():
        return False
    status = System.objects.filter(schema_name=current_schema()).values_list("status", flat=True)
    return next(iter(status), None) in {System.Status.SUSPENDED, System.Status.TERMINATED}


def current_system_locale() -> tuple[str, str] | None:
    """The current schema's System's default (language, time zone), None in the public
    schema: mail rendered in a worker or a ``schema_context`` block has no tenant at hand."""
    if in_public_schema():
        return None
    return (
        System.objects.filter(schema_name=current_schema())
        .values_list("language", "time_zone")
        .first()
    )


def system_time_zone() -> str:
    """The zone of the System whose schema we are in: the one its business hours, SLA
    clocks and reports count in, and the default of its people. UTC in public.

    A request has its System on the connection (no query); a task, in a schema only, reads
    it (one query)."""
    if in_public_schema():
        return DEFAULT_TIME_ZONE
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, System) and tenant.schema_name == current_schema():
        zone = tenant.time_zone
    else:
        zone = (
            System.objects.filter(schema_name=current_schema())
            .values_list("time_zone", flat=True)
            .first()
        )
    return zone if zone and is_time_zone(zone) else DEFAULT_TIME_ZONE
