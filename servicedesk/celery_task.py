"""The base class of every task: tenant-schemas-celery's, plus two rules about schemas
that no System has.

A restore moves a System to a new schema. A task queued just before the swap carries the
old schema's name; rather than failing it (an email lost), it runs in the System that was
restored from that schema, on its current data.

A task for a schema no System has at all (a deleted System) is skipped. Left alone,
tenant-schemas-celery's lookup fails inside a signal handler, which Celery only logs, and
the task would run in the public schema: among the operators' accounts.

Tasks are acknowledged late, and a task whose worker process dies (killed for memory, say)
goes back to the queue: the next worker gets the same message. A message that kills every
worker it reaches would loop for ever and starve every other System's mail, exports and
backups. So each delivery is counted in Redis, per task id and retry, and one delivered
more than TASK_MAX_DELIVERIES times is given up: a log line, and the task's own
``on_poisoned`` (a task passes it to its decorator) records whatever "failed" means for it.
Jobs with leases (exports, backups) keep their own attempt counting: their reaper marks
them failed once the lease of the last attempt lapses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_tenant_model
from redis.exceptions import RedisError
from tenant_schemas_celery.app import get_schema_name_from_task
from tenant_schemas_celery.task import TenantTask

from servicedesk import redis

log = logging.getLogger(__name__)

# Where the System that had a schema lives now (backups register "restored from"); the kernel
# knows no System.
_SUCCESSORS: list[Callable[[str], Any]] = []


def schema_successor(find: Callable[[str], Any]) -> Callable[[str], Any]:
    _SUCCESSORS.append(find)
    return find


# Long enough to outlive any redelivery (the broker's visibility timeout is hours).
DELIVERY_COUNT_SECONDS = 2 * 24 * 3600


class SystemTask(TenantTask):
    abstract = True

    @classmethod
    def get_tenant_for_schema(cls, schema_name):
        try:
            return super().get_tenant_for_schema(schema_name)
        except get_tenant_model().DoesNotExist:
            for successor in _SUCCESSORS:
                system = successor(schema_name)
                if system is not None:
                    return system
            raise

    def __call__(self, *args, **kwargs):
        wanted = get_schema_name_from_task(self, kwargs)
        if wanted and wanted != "public" and connection.schema_name == "public":
            log.warning(
                "%s was queued for schema %s, which no System has: skipped", self.name, wanted
            )
            return None
        deliveries = self._deliveries()
        if deliveries > settings.TASK_MAX_DELIVERIES:
            log.error(
                "%s[%s] was delivered %d times without finishing (its worker died each "
                "time): given up",
                self.name,
                self.request.id,
                deliveries,
            )
            self.on_poisoned(args, kwargs)
            return None
        return super().__call__(*args, **kwargs)

    def after_return(self, status, retval, task_id, args, kwargs, einfo) -> None:
        # Finished, one way or another: only the deliveries of tasks whose worker died stay
        # counted (until the key expires), so Redis holds no key per task that ever ran.
        key = getattr(self.request, "delivery_key", None)
        if key:
            try:
                redis.client().delete(key)
            except RedisError:
                log.warning("%s[%s]: could not forget its deliveries", self.name, task_id)
        super().after_return(status, retval, task_id, args, kwargs, einfo)

    def on_poisoned(self, args: tuple, kwargs: dict) -> None:
        """What this task's domain records when its message is given up; nothing here."""

    def _deliveries(self) -> int:
        """This delivery's number (1 for the first); 0 when called as a plain function."""
        request = self.request
        if request.id is None or request.called_directly:
            return 0
        name = f"deliveries:{connection.schema_name}:{request.id}:{request.retries or 0}"
        key = redis.key(name)
        request.delivery_key = key
        try:
            pipe = redis.client().pipeline()
            pipe.incr(key)
            pipe.expire(key, DELIVERY_COUNT_SECONDS)
            count, _ = pipe.execute()
        except RedisError:
            log.warning("%s[%s]: could not count its deliveries", self.name, request.id)
            return 0
        return int(count)
