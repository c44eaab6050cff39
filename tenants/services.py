"""The warm pool of ready schemas, and claiming one for a new System.

A signup must get its System at once however many migrations the product gathers, so
ready, migrated schemas wait in a pool (System rows in status ``pooled``). Claiming one is
a row lock with SKIP LOCKED and two small writes; only when the pool is empty is a schema
made synchronously, and a refill is queued either way. Giving the claimed System its status
and trial is the lifecycle's (``tenants.onboarding.services.system_create`` does both in
one transaction).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from servicedesk import queue
from tenants import selectors
from tenants.models import Customer, Domain, System
from tenants.validators import validate_subdomain

log = logging.getLogger(__name__)

SCHEMA_SEQUENCE = "tenants_schema_seq"
# pg_advisory_xact_lock key serialising pool refills (any constant unique to this use).
POOL_REFILL_LOCK = 0x5D_0001


def next_schema_name() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [SCHEMA_SEQUENCE])
        (number,) = cursor.fetchone()
    return f"s_{number:06d}"


def _schema_build() -> System:
    """Create, migrate and record one pooled schema in the caller's transaction.

    Because schema, tables and row commit together, a crash half-way leaves nothing
    behind: no orphan schema, no row pointing at a missing schema.
    """
    system = System(schema_name=next_schema_name(), status=System.Status.POOLED)
    system.create_schema(check_if_exists=False, verbosity=0)
    system.save()
    return system


def pool_schema_add() -> System:
    with schema_context(get_public_schema_name()), transaction.atomic():
        return _schema_build()


def pool_refill(*, size: int | None = None) -> int:
    """Top the pool up to ``size`` (default SYSTEM_POOL_SIZE); returns how many were made.

    Concurrent refills queue behind an advisory lock and re-count, so the pool never
    overshoots; each schema commits on its own so a long refill hands out schemas early.
    """
    target = settings.SYSTEM_POOL_SIZE if size is None else size
    made = 0
    with schema_context(get_public_schema_name()):
        while True:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [POOL_REFILL_LOCK])
                if selectors.pool_size() >= target:
                    break
                system = _schema_build()
            made += 1
            log.info("pool: added schema %s", system.schema_name)
    return made


def system_claim(*, customer: Customer, name: str, slug: str) -> System:
    """Give ``customer`` a System at ``slug``, from the pool when it can (its status stays
    ``pooled`` until the lifecycle starts it, in the caller's transaction).

    Raises ValidationError (keyed ``slug``) for a malformed, reserved or taken subdomain.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("Claim a System inside the transaction that gives it its status.")
    slug = slug.strip().lower()
    try:
        validate_subdomain(slug)
    except ValidationError as exc:
        raise ValidationError({"slug": exc.messages}) from exc

    with schema_context(get_public_schema_name()), transaction.atomic():
        if selectors.slug_is_taken(slug=slug):
            raise ValidationError({"slug": [f"“{slug}” is already taken."]})
        system = (
            System.objects.select_for_update(skip_locked=True)
            .filter(status=System.Status.POOLED, claimed_at__isnull=True)
            .order_by("id")
            .first()
        )
        if system is None:
            log.warning("pool: empty, making a schema synchronously for %s", slug)
            system = _schema_build()
        system.customer = customer
        system.name = name.strip()
        system.slug = slug
        system.claimed_at = timezone.now()
        try:
            with transaction.atomic():
                system.save()
                Domain.objects.create(
                    domain=selectors.system_domain(slug=slug), tenant=system, is_primary=True
                )
        except IntegrityError as exc:
            # Lost a race for the same subdomain between the check and the write.
            raise ValidationError({"slug": [f"“{slug}” is already taken."]}) from exc
        transaction.on_commit(_queue_pool_refill)
    log.info("system %s claimed schema %s", slug, system.schema_name)
    return system


def _queue_pool_refill() -> None:
    queue.task("tenants.tasks.pool_refill").delay()


def task_per_working_system(task, *, expires: int) -> int:
    """Queue ``task`` once in each working System's schema (not pooled, not terminated);
    a run not started within ``expires`` seconds is dropped (the next round does its
    work). For beat tasks that fan out from the public schema."""
    schemas = System.objects.exclude(
        status__in=[System.Status.POOLED, System.Status.TERMINATED]
    ).values_list("schema_name", flat=True)
    count = 0
    for schema in schemas:
        with schema_context(schema):
            task.apply_async(expires=expires)
        count += 1
    return count
