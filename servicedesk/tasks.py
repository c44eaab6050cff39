import time

from celery import shared_task

from servicedesk import redis


@shared_task(name="servicedesk.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat queues this; a worker running it proves both are alive (see /healthz)."""
    redis.client().set(redis.key("worker-heartbeat"), str(time.time()), ex=3600)
