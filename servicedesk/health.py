"""Operational health: what a load balancer or an operator asks before trusting a node."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection

from servicedesk import redis


def check_database() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported as text
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def check_redis() -> dict[str, object]:
    try:
        redis.client().ping()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def check_worker() -> dict[str, object]:
    try:
        raw = redis.client().get(redis.key("worker-heartbeat"))
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    if raw is None:
        return {"ok": False, "error": "no heartbeat yet"}
    age = time.time() - float(raw)
    # Two missed beats plus slack before we call the worker (or beat) down.
    limit = settings.WORKER_HEARTBEAT_SECONDS * 2 + 15
    return {"ok": age <= limit, "age_seconds": round(age, 1)}


def report() -> tuple[bool, dict[str, object]]:
    checks = {"database": check_database(), "redis": check_redis(), "worker": check_worker()}
    healthy = all(check["ok"] for check in checks.values())
    return healthy, {"status": "ok" if healthy else "degraded", "checks": checks}
