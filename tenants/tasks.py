from celery import shared_task

from tenants import services


@shared_task(name="tenants.tasks.pool_refill", ignore_result=True)
def pool_refill() -> int:
    return services.pool_refill()


@shared_task(name="tenants.tasks.signups_purge", ignore_result=True)
def signups_purge() -> int:
    return services.signups_purge_expired()
