"""Workers as production runs them (prefork): a task whose process dies every time is
handed out a few times, then given up, instead of looping for ever in front of every other
System's tasks; a task past its time limit is stopped and not handed out again."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from servicedesk import redis
from servicedesk.celery import app
from tests.support.probe_tasks import kill_own_process, overrun
from tests.support.worker import Worker, eager_off, wait_for_key, wait_until

pytestmark = pytest.mark.worker


@pytest.fixture
def prefork_worker(committed, tmp_path):
    """A worker as production runs it: the task runs in a child process, and a child that
    dies has its task (acknowledged late) put back in the queue."""
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-prefork"
    worker = Worker(mail_dir=tmp_path, queue=queue, pool="prefork").start()
    try:
        with eager_off():
            yield worker
    finally:
        worker.stop()


def _runs(key: str) -> int:
    return int(redis.client().get(key) or 0)


def test_a_task_that_kills_its_worker_is_given_up_after_a_few_deliveries(prefork_worker):
    key = redis.key(f"probe-kill-{uuid.uuid4().hex}")

    kill_own_process.apply_async(args=[key], queue=prefork_worker.queue)
    wait_until(
        lambda: redis.client().get(f"{key}:given-up") or _runs(key) > settings.TASK_MAX_DELIVERIES,
        seconds=120,
    )

    assert _runs(key) == settings.TASK_MAX_DELIVERIES
    assert redis.client().get(f"{key}:given-up") == b"1"
    prefork_worker.drain()  # and the queue behind it moves on
    assert _runs(key) == settings.TASK_MAX_DELIVERIES
    assert "tests.probe.kill_own_process" in prefork_worker.log.read_text()
    assert "given up" in prefork_worker.log.read_text()


def test_a_task_past_its_time_limit_is_stopped_and_not_handed_out_again(prefork_worker):
    key = redis.key(f"probe-overrun-{uuid.uuid4().hex}")

    # A message carries the limits its sender read from the settings; short ones here.
    overrun.apply_async(args=[key], queue=prefork_worker.queue, soft_time_limit=2, time_limit=4)

    wait_for_key(f"{key}:soft", seconds=30)  # the soft limit: an exception in the task
    wait_until(lambda: "Hard time limit (4s) exceeded" in prefork_worker.log.read_text(), 30)
    prefork_worker.drain()
    assert _runs(key) == 1


def test_every_task_has_a_time_limit_and_workers_a_memory_cap():
    conf = app.conf
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert overrun.time_limit == conf.task_time_limit, "stamped on every message sent"
    assert conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0
    # Whole-System jobs get longer: a 1 GB export takes about 40 s, a restore of 100,000
    # tickets about 70 s (README); their limit leaves room for Systems far larger.
    for name in settings.LONG_TASKS:
        task = app.tasks[name]
        assert task.time_limit == settings.CELERY_LONG_TASK_TIME_LIMIT >= 3600, name
        assert task.soft_time_limit < task.time_limit
    # The broker hands an unacknowledged task to another worker only after every limit.
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert visibility > settings.CELERY_LONG_TASK_TIME_LIMIT
