"""Per-token rate limits: told on every answer, 429 with Retry-After beyond."""

from __future__ import annotations

from tests.api.conftest import bearer_client
from tests.api.test_api_auth import _problem


def test_every_answer_tells_the_tokens_limit(system_a, agent_a, api_for, settings):
    settings.API_RATE_LIMIT = 5
    client = api_for(agent_a)

    first, second = client.get("/api/v1/tickets"), client.get("/api/v1/nothing")

    assert first["RateLimit-Limit"] == "5"
    assert first["RateLimit-Remaining"] == "4"
    assert 1 <= int(first["RateLimit-Reset"]) <= settings.API_RATE_WINDOW_SECONDS
    assert second.status_code == 404
    assert second["RateLimit-Remaining"] == "3"


def test_beyond_the_limit_the_answer_is_429_with_retry_after(system_a, agent_a, api_for, settings):
    settings.API_RATE_LIMIT = 2
    client = api_for(agent_a)
    client.get("/api/v1/tickets")
    client.get("/api/v1/tickets")

    response = client.get("/api/v1/tickets")

    _problem(response, 429, "rate-limited")
    assert 1 <= int(response["Retry-After"]) <= settings.API_RATE_WINDOW_SECONDS
    assert response["RateLimit-Remaining"] == "0"


def test_each_token_has_its_own_count(system_a, agent_a, api_for, settings):
    settings.API_RATE_LIMIT = 1
    one, other = api_for(agent_a), api_for(agent_a)
    one.get("/api/v1/tickets")

    assert one.get("/api/v1/tickets").status_code == 429
    assert other.get("/api/v1/tickets").status_code == 200


def test_calls_without_a_valid_token_count_against_their_address(system_a, settings):
    settings.API_ANONYMOUS_RATE_LIMIT = 2
    guesser = bearer_client(system_a, "sdt_guess")

    statuses = [guesser.get("/api/v1/tickets").status_code for _ in range(3)]

    assert statuses == [401, 401, 429]
