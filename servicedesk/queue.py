"""Queue Celery tasks by their registered names, in the current schema.

Services name the task they queue ("tickets.tasks.attachment_thumbnails") instead of
importing its module: a task module imports the services it runs, so importing it back
would make a cycle. Names are checked: asking for one no worker knows raises at once
(tests/ops/test_queued_task_names.py also reads every name in the code).

tenant-schemas-celery stamps a message with the schema the connection is in when it is
sent; an on_commit callback may run after the code that queued it left that schema (a
``schema_context`` block, a request's end). Capturing the schema now and sending from
inside it keeps every task in the System that asked for it.
"""

from __future__ import annotations

import threading
from typing import Any

from celery import current_app
from django.db import transaction
from django_tenants.utils import schema_context

from servicedesk.schema import current_schema

# Threads (the SMTP receiver's pool, say) may queue their first task at the same moment:
# one imports the tasks modules while the others wait, instead of finding them half done.
_IMPORTING = threading.Lock()


def task(name: str) -> Any:
    """The registered task ``name`` (KeyError if there is none)."""
    if name not in current_app.tasks:
        with _IMPORTING:
            if name not in current_app.tasks:
                # Outside a worker nothing has imported the tasks modules yet: Celery's
                # autodiscovery (servicedesk/celery.py) imports them all, once.
                current_app.loader.import_default_modules()
    return current_app.tasks[name]


def enqueue_on_commit(task_name: str, /, *args, **kwargs) -> None:
    """Queue task ``task_name`` once the transaction commits, in the schema it was asked
    from."""
    schema = current_schema()
    registered = task(task_name)

    def send() -> None:
        with schema_context(schema):
            registered.delay(*args, **kwargs)

    transaction.on_commit(send)
