"""The base class of every task: tenant-schemas-celery's, plus two rules about schemas
that no System has.

A restore moves a System to a new schema. A task queued just before the swap carries the
old schema's name; rather than failing it (an email lost), it runs in the System that was
restored from that schema, on its current data.

A task for a schema no System has at all (a deleted System) is skipped. Left alone,
tenant-schemas-celery's lookup fails inside a signal handler, which Celery only logs, and
the task would run in the public schema: among the operators' accounts.
"""

from __future__ import annotations

import logging

from django.db import connection
from tenant_schemas_celery.app import get_schema_name_from_task
from tenant_schemas_celery.task import TenantTask

log = logging.getLogger(__name__)


class SystemTask(TenantTask):
    abstract = True

    @classmethod
    def get_tenant_for_schema(cls, schema_name):
        from tenants.models import System

        try:
            return super().get_tenant_for_schema(schema_name)
        except System.DoesNotExist:
            from tenants.selectors_backups import system_restored_from

            system = system_restored_from(schema_name=schema_name)
            if system is None:
                raise
            return system

    def __call__(self, *args, **kwargs):
        wanted = get_schema_name_from_task(self, kwargs)
        if wanted and wanted != "public" and connection.schema_name == "public":
            log.warning(
                "%s was queued for schema %s, which no System has: skipped", self.name, wanted
            )
            return None
        return super().__call__(*args, **kwargs)
