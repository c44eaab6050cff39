"""Tasks that only the worker tests load (celery worker --include ...).

``record_users`` reports which schema it ran in and which accounts it could see there;
``kill_own_process`` dies as a worker process killed for memory does.
"""

import json
import os
import signal

from celery import shared_task
from django.db import connection

from accounts.models import User
from servicedesk import redis


@shared_task(name="tests.probe.record_users")
def record_users(key: str) -> None:
    emails = sorted(User.objects.values_list("email", flat=True))
    payload = {"schema": connection.schema_name, "emails": emails}
    redis.client().set(key, json.dumps(payload), ex=600)


def _record_given_up(task, args: tuple, kwargs: dict) -> None:
    redis.client().set(f"{args[0]}:given-up", "1", ex=600)


@shared_task(name="tests.probe.kill_own_process", on_poisoned=_record_given_up)
def kill_own_process(key: str) -> None:
    """Count the run at ``key``, then SIGKILL the process running it: no clean-up, no
    acknowledgement. Only for a prefork worker (a solo one would die whole)."""
    redis.client().incr(key)
    redis.client().expire(key, 600)
    os.kill(os.getpid(), signal.SIGKILL)


@shared_task(name="tests.probe.overrun")
def overrun(key: str) -> None:
    """Run far past any time limit; note at ``key`` each start and the soft limit."""
    import time

    from celery.exceptions import SoftTimeLimitExceeded

    redis.client().incr(key)
    redis.client().expire(key, 600)
    try:
        time.sleep(120)
    except SoftTimeLimitExceeded:
        redis.client().set(f"{key}:soft", "1", ex=600)
        time.sleep(120)  # ignore it: the hard limit ends the process
