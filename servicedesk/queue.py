"""Queue a Celery task once the current transaction commits, in the current schema.

tenant-schemas-celery stamps a message with the schema the connection is in when it is
sent; an on_commit callback may run after the code that queued it left that schema (a
``schema_context`` block, a request's end). Capturing the schema now and sending from
inside it keeps every task in the System that asked for it.
"""

from __future__ import annotations

from django.db import transaction
from django_tenants.utils import schema_context

from servicedesk.schema import current_schema


def enqueue_on_commit(task, *args, **kwargs) -> None:
    schema = current_schema()

    def send() -> None:
        with schema_context(schema):
            task.delay(*args, **kwargs)

    transaction.on_commit(send)
