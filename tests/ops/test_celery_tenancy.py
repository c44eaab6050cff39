"""Tasks run in the schema of the System that queued them, in a real worker."""

import json
import uuid

import pytest
from django.db import transaction

from servicedesk import redis
from tests.support.probe_tasks import record_users
from tests.support.tenancy import in_schema
from tests.support.worker import wait_for_key

pytestmark = pytest.mark.worker


def test_a_task_queued_in_system_a_reads_a_rows_and_never_b(worker, committed):
    system_a = committed.system("wk-alpha", owner="owner@wk-alpha.example")
    system_b = committed.system("wk-bravo", owner="owner@wk-bravo.example")
    key_a, key_b = (redis.key(f"probe-{uuid.uuid4().hex}") for _ in range(2))

    with in_schema(system_a), transaction.atomic():
        transaction.on_commit(lambda: record_users.delay(key_a))
    with in_schema(system_b), transaction.atomic():
        transaction.on_commit(lambda: record_users.delay(key_b))

    seen_a = json.loads(wait_for_key(key_a))
    seen_b = json.loads(wait_for_key(key_b))
    assert seen_a == {"schema": system_a.schema_name, "emails": ["owner@wk-alpha.example"]}
    assert seen_b == {"schema": system_b.schema_name, "emails": ["owner@wk-bravo.example"]}


def test_a_task_queued_from_the_public_schema_runs_in_public(worker):
    key = redis.key(f"probe-{uuid.uuid4().hex}")

    record_users.delay(key)

    assert json.loads(wait_for_key(key))["schema"] == "public"


def test_a_task_queued_inside_a_transaction_that_rolls_back_never_runs(worker, committed):
    system = committed.system("wk-charlie", owner="owner@wk-charlie.example")
    key = redis.key(f"probe-{uuid.uuid4().hex}")

    with in_schema(system), pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(lambda: record_users.delay(key))
        raise RuntimeError("the write failed")

    # Prove the worker is alive and has drained the queue, then that nothing ran.
    marker = redis.key(f"probe-{uuid.uuid4().hex}")
    record_users.delay(marker)
    wait_for_key(marker)
    assert redis.client().get(key) is None
