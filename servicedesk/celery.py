"""The Celery app. Tasks run in the schema of the System that queued them.

tenant-schemas-celery puts the current schema in every message's headers and switches the
worker's connection to it before the task runs; a task queued from the public schema runs
in public. Periodic jobs start in public and fan out one task per System.
"""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")

# Tasks queued in a schema a restore replaced run in the restored System (celery_task.py).
app = CeleryApp("servicedesk", task_cls="servicedesk.celery_task:SystemTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every package with a tasks module (wiring, like settings: names, not imports).
app.autodiscover_tasks(
    [
        "servicedesk",
        "tenants",
        "tenants.onboarding",
        "tenants.billing",
        "tenants.lifecycle",
        "tenants.portability",
        "tenants.backups",
        "accounts",
        "tickets",
        "tickets.mail",
        "tickets.sla",
        "tickets.reports",
        "tickets.webhooks",
        "legal",
    ]
)
