"""Jobs of billing."""

from celery import shared_task

from tenants.billing.metrics import snapshot_take


@shared_task(name="tenants.tasks.metrics_snapshot", ignore_result=True)
def metrics_snapshot() -> None:

    snapshot_take()
