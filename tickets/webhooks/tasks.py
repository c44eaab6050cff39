from celery import shared_task

from tenants.services import task_per_working_system
from tickets.webhooks.services import deliveries

SCAN_EVERY_SECONDS = 30


@shared_task(name="tickets.webhooks.tasks.delivery_send", ignore_result=True, acks_late=True)
def delivery_send(delivery_id: int) -> None:
    """Runs in the System's schema (the task carries it). A duplicate, or a message for a
    delivery that is not due, does nothing (the claim in deliveries.delivery_attempt)."""
    deliveries.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="tickets.webhooks.tasks.deliveries_scan_all", ignore_result=True)
def deliveries_scan_all() -> int:
    """Beat, in public: one scan per working System for deliveries whose attempt is due
    (retries, and first attempts the queue never got)."""
    return task_per_working_system(deliveries_scan, expires=2 * SCAN_EVERY_SECONDS)


@shared_task(name="tickets.webhooks.tasks.deliveries_scan", ignore_result=True)
def deliveries_scan() -> int:
    return deliveries.deliveries_due()


@shared_task(name="tickets.webhooks.tasks.deliveries_purge_all", ignore_result=True)
def deliveries_purge_all() -> int:
    """Beat, in public: the delivery log keeps WEBHOOKS_LOG_DAYS in every System."""
    return task_per_working_system(deliveries_purge, expires=3600)


@shared_task(name="tickets.webhooks.tasks.deliveries_purge", ignore_result=True)
def deliveries_purge() -> int:
    return deliveries.deliveries_purge()
