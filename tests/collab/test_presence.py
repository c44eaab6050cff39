"""Who else is on a ticket: drawn with the page, polled by presence.js, kept in Redis."""

import json
from datetime import timedelta

import time_machine
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from servicedesk import redis
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema
from tickets.collab import presence


def poll(client, number, **data):
    return client.post(f"/tickets/{number}/presence/", data, HTTP_X_BACKGROUND="1")


def test_an_agent_sees_a_colleague_viewing_then_typing_then_gone(
    system_a, make_ticket, agent_a, omar_a, agent_client, omar_client
):
    ticket = make_ticket(agent_a)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert omar_client.get(f"/tickets/{ticket.number}/").status_code == 200
        page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()
        assert 'aria-live="polite"' in page
        assert "Omar Other is viewing" in page

        assert poll(omar_client, ticket.number, typing="1").status_code == 200
        answer = poll(agent_client, ticket.number).json()
        assert answer == {
            "others": [{"name": "Omar Other", "typing": True}],
            "text": "Omar Other is typing a reply…",
        }
        # Omar sees Arno, who is not typing; nobody sees himself.
        assert poll(omar_client, ticket.number).json()["text"] == "Arno Agent is viewing"

        clock.shift(timedelta(seconds=presence.TTL + 1))
        assert poll(agent_client, ticket.number).json() == {"others": [], "text": ""}
        assert "is viewing" not in agent_client.get(f"/tickets/{ticket.number}/").content.decode()

        # Closing the page says so at once.
        poll(omar_client, ticket.number)
        poll(omar_client, ticket.number, left="1")
        assert poll(agent_client, ticket.number).json()["others"] == []


def test_only_staff_of_the_system_reach_presence(
    system_a, make_ticket, agent_a, member_a, user_b, system_b
):
    mine = make_ticket(member_a)
    others = make_ticket(agent_a)
    member = client_for(system_a, member_a)
    assert member.post(f"/tickets/{mine.number}/presence/").status_code == 403
    assert member.post(f"/tickets/{others.number}/presence/").status_code == 404
    assert "presence" not in member.get(f"/tickets/{mine.number}/").content.decode()
    # B's person at A's host is a stranger there: sent to sign in, like anyone anonymous.
    stranger = client_for(system_b, user_b)
    stranger.defaults["HTTP_HOST"] = client_for(system_a).defaults["HTTP_HOST"]
    response = stranger.post(f"/tickets/{others.number}/presence/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert (
        client_for(system_a, agent_a).get(f"/tickets/{others.number}/presence/").status_code == 405
    )


def test_presence_keys_carry_the_schema_and_expire_by_themselves(
    system_a, system_b, make_ticket, agent_a, agent_client
):
    ticket = make_ticket(agent_a)
    poll(agent_client, ticket.number)
    with in_schema(system_a):
        key = presence.presence_key(ticket)
    assert f":{system_a.schema_name}:" in key
    with in_schema(system_b):
        assert presence.presence_key(ticket) != key
    stored = redis.client().hgetall(key)
    assert json.loads(stored[str(agent_a.pk).encode()])["n"] == "Arno Agent"
    assert 0 < redis.client().ttl(key) <= presence.TTL


def test_the_poll_answers_in_constant_queries_and_is_not_activity(
    system_a, make_ticket, agent_a, omar_a, agent_client, omar_client, django_assert_max_num_queries
):
    ticket = make_ticket(agent_a)
    agent_client.get(f"/tickets/{ticket.number}/")
    with in_schema(system_a):
        last_seen = agent_client.session["last_seen"]
    # One colleague, then three: the names travel with the entries, not from the database.
    # 6: the host's System (and two search_path), the session, the person, the ticket.
    for name in ("Omar Other",):
        poll(omar_client, ticket.number)
        with django_assert_max_num_queries(6):
            assert poll(agent_client, ticket.number).json()["text"] == f"{name} is viewing"
    with in_schema(system_a):
        extra = [UserFactory(role="agent", full_name=f"Extra {i}") for i in range(2)]
    for person in extra:
        client_for(system_a, person).post(f"/tickets/{ticket.number}/presence/")
    with django_assert_max_num_queries(6):
        others = poll(agent_client, ticket.number).json()["others"]
    assert len(others) == 3
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        poll(agent_client, ticket.number)
        with in_schema(system_a):
            assert agent_client.session["last_seen"] == last_seen
        agent_client.get("/tickets/")
        with in_schema(system_a):
            assert agent_client.session["last_seen"] > last_seen


def test_the_ticket_page_opens_when_redis_does_not_answer(
    system_a, make_ticket, agent_a, agent_client, monkeypatch
):
    ticket = make_ticket(agent_a, subject="Still here")

    class Down:
        def pipeline(self):
            raise RedisConnectionError("down")

    monkeypatch.setattr(presence.redis, "client", Down)
    response = agent_client.get(f"/tickets/{ticket.number}/")
    assert response.status_code == 200 and "Still here" in response.content.decode()
