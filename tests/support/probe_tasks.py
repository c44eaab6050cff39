"""A task that only the worker tests load (celery worker --include ...).

It reports which schema it ran in and which accounts it could see there.
"""

import json

from celery import shared_task
from django.db import connection

from accounts.models import User
from servicedesk import redis


@shared_task(name="tests.probe.record_users")
def record_users(key: str) -> None:
    emails = sorted(User.objects.values_list("email", flat=True))
    payload = {"schema": connection.schema_name, "emails": emails}
    redis.client().set(key, json.dumps(payload), ex=600)
