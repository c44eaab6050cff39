import time

from servicedesk import redis
from tests.support.tenancy import client_for


def _beat(age_seconds: float) -> None:
    redis.client().set(redis.key("worker-heartbeat"), str(time.time() - age_seconds))


def test_it_reports_ok_when_database_redis_and_worker_answer(public_client):
    _beat(1)

    response = public_client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"] == {"ok": True}
    assert body["checks"]["worker"]["ok"] is True


def test_it_reports_503_when_the_worker_heartbeat_is_stale(public_client):
    _beat(3600)

    response = public_client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


def test_it_reports_503_when_no_worker_ever_beat(public_client):
    redis.client().delete(redis.key("worker-heartbeat"))

    response = public_client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "error": "no heartbeat yet"}


def test_it_reports_redis_down(public_client, settings):
    # Point at a port where nothing listens: the outside world failing, not a mock of ours.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    redis.client.cache_clear()
    try:
        response = public_client.get("/healthz")
    finally:
        redis.client.cache_clear()

    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


def test_systems_answer_healthz_too(system_a):
    _beat(1)
    assert client_for(system_a).get("/healthz").status_code == 200
