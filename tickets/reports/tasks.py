"""The reports' rollup, kept by beat: one refresh per working System every few minutes,
in its schema (tickets.reports.rollup says what a refresh does)."""

from celery import shared_task

from tenants.services import task_per_working_system
from tickets.reports.rollup import report_rollup_refresh

REFRESH_EVERY_SECONDS = 300


@shared_task(name="tickets.reports.tasks.report_rollup_all", ignore_result=True)
def report_rollup_all() -> int:
    """Beat, in public: one ``report_rollup`` per working System. A refresh not started
    within two rounds is dropped: the next round does its work."""
    return task_per_working_system(report_rollup, expires=2 * REFRESH_EVERY_SECONDS)


@shared_task(name="tickets.reports.tasks.report_rollup", ignore_result=True, acks_late=True)
def report_rollup(rebuild: bool = False) -> int:
    """Runs in the System's schema (the task carries it); idempotent, safe to retry."""
    return report_rollup_refresh(rebuild=rebuild)
