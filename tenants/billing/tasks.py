"""Jobs of billing."""

from celery import shared_task


@shared_task(name="tenants.tasks.metrics_snapshot", ignore_result=True)
def metrics_snapshot() -> None:
    from tenants.billing.metrics import snapshot_take

    snapshot_take()
