from celery import shared_task

from tenants.services import task_per_working_system
from tickets.sla.services.alerts import sla_alerts_send
from tickets.sla.services.clock import sla_backfill as backfill

CHECK_EVERY_SECONDS = 60


@shared_task(name="tickets.sla.tasks.sla_check_all", ignore_result=True)
def sla_check_all() -> int:
    """Beat, in public: one ``sla_check`` per working System, in its schema. A check not
    started within two rounds is dropped: the next round does its work."""
    return task_per_working_system(sla_check, expires=2 * CHECK_EVERY_SECONDS)


@shared_task(name="tickets.sla.tasks.sla_check", ignore_result=True)
def sla_check() -> tuple[int, int]:
    """Runs in the System's schema (the task carries it): warnings and breaches, once each."""
    return sla_alerts_send()


@shared_task(name="tickets.sla.tasks.sla_backfill", ignore_result=True, acks_late=True)
def sla_backfill() -> int:
    """Runs in the System's schema: open tickets under the new calendar or policies."""
    return backfill()
