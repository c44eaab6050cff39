from celery import shared_task
from django_tenants.utils import schema_context

from tenants.models import System
from tickets.sla.services.alerts import sla_alerts_send
from tickets.sla.services.clock import sla_backfill as backfill

CHECK_EVERY_SECONDS = 60


@shared_task(name="tickets.sla.tasks.sla_check_all", ignore_result=True)
def sla_check_all() -> int:
    """Beat, in public: one ``sla_check`` per working System, in its schema. A check not
    started within two rounds is dropped: the next round does its work."""
    schemas = System.objects.exclude(
        status__in=[System.Status.POOLED, System.Status.TERMINATED]
    ).values_list("schema_name", flat=True)
    count = 0
    for schema in schemas:
        with schema_context(schema):
            sla_check.apply_async(expires=2 * CHECK_EVERY_SECONDS)
        count += 1
    return count


@shared_task(name="tickets.sla.tasks.sla_check", ignore_result=True)
def sla_check() -> tuple[int, int]:
    """Runs in the System's schema (the task carries it): warnings and breaches, once each."""
    return sla_alerts_send()


@shared_task(name="tickets.sla.tasks.sla_backfill", ignore_result=True, acks_late=True)
def sla_backfill() -> int:
    """Runs in the System's schema: open tickets under the new calendar or policies."""
    return backfill()
