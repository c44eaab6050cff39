"""Jobs of the tenancy core: the warm pool, and counting storage again."""

from celery import shared_task

from tenants import services, storage
from tenants.models import System


@shared_task(name="tenants.tasks.pool_refill", ignore_result=True)
def pool_refill() -> int:
    return services.pool_refill()


@shared_task(name="tenants.tasks.storage_recount_all", ignore_result=True)
def storage_recount_all() -> int:
    """Beat, daily: count every System's storage again (restores and imports write files
    outside the counted paths), one task per System."""
    ids = System.objects.exclude(status=System.Status.POOLED).values_list("pk", flat=True)
    for system_id in ids:
        storage_recount.delay(system_id)
    return len(ids)


@shared_task(name="tenants.tasks.storage_recount", ignore_result=True, acks_late=True)
def storage_recount(system_id: int) -> None:
    storage.storage_recount(system_id=system_id)
