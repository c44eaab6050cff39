"""Writes: create (replayed for a repeated Idempotency-Key), PATCH with If-Match (428
without, 412 when stale, never a lost update), reply, internal note, merge."""

from __future__ import annotations

import json
from datetime import timedelta

import time_machine
from django.utils import timezone

from accounts.apitokens.models import Scope
from tests.support.tenancy import in_schema
from tickets.models import Priority, Status, Ticket, TicketEvent
from tickets.services.tickets import ticket_update


def _post(client, path: str, body: dict, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def _patch(client, path: str, body: dict, **headers):
    return client.patch(path, json.dumps(body), content_type="application/json", **headers)


def test_a_member_raises_a_ticket_for_himself_at_normal_priority(system_a, member_a, api_for):
    response = _post(
        api_for(member_a),
        "/api/v1/tickets",
        {"subject": "VPN down", "description": "Since 9:00", "priority": "urgent"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/tickets/{body['number']}")
    assert response["ETag"]
    assert (body["subject"], body["priority"], body["requester"]["id"]) == (
        "VPN down",
        "normal",
        member_a.pk,
    )


def test_the_same_idempotency_key_and_body_replays_the_first_answer(system_a, agent_a, api_for):
    client = api_for(agent_a)
    ticket = {"subject": "Once only", "description": "Retried by a flaky network"}

    first = _post(client, "/api/v1/tickets", ticket, HTTP_IDEMPOTENCY_KEY="key-1")
    again = _post(client, "/api/v1/tickets", ticket, HTTP_IDEMPOTENCY_KEY="key-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    with in_schema(system_a):
        assert Ticket.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_a_422(system_a, agent_a, api_for):
    client = api_for(agent_a)
    _post(client, "/api/v1/tickets", {"subject": "A", "description": "x"}, HTTP_IDEMPOTENCY_KEY="k")

    response = _post(
        client, "/api/v1/tickets", {"subject": "B", "description": "x"}, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert response.status_code == 422
    assert response.json()["type"] == "urn:servicedesk:problem:idempotency-key-reused"
    with in_schema(system_a):
        assert list(Ticket.objects.values_list("subject", flat=True)) == ["A"]


def test_a_refused_create_keeps_its_key_free_for_a_corrected_retry(system_a, agent_a, api_for):
    client = api_for(agent_a)
    refused = _post(
        client,
        "/api/v1/tickets",
        {"subject": "Bad", "description": "x", "assignee": 999999},
        HTTP_IDEMPOTENCY_KEY="retry",
    )
    retried = _post(
        client,
        "/api/v1/tickets",
        {"subject": "Bad", "description": "x", "assignee": 999999},
        HTTP_IDEMPOTENCY_KEY="retry",
    )

    assert refused.status_code == retried.status_code == 422
    with in_schema(system_a):
        assert not Ticket.objects.exists()


def test_another_tokens_key_is_its_own(system_a, agent_a, api_for):
    body = {"subject": "Same key", "description": "x"}
    _post(api_for(agent_a), "/api/v1/tickets", body, HTTP_IDEMPOTENCY_KEY="shared")
    _post(api_for(agent_a), "/api/v1/tickets", body, HTTP_IDEMPOTENCY_KEY="shared")

    with in_schema(system_a):
        assert Ticket.objects.count() == 2


def test_a_patch_without_if_match_is_428_and_changes_nothing(
    system_a, agent_a, make_ticket, api_for
):
    ticket = make_ticket(agent_a)

    response = _patch(api_for(agent_a), f"/api/v1/tickets/{ticket.number}", {"status": "pending"})

    assert response.status_code == 428
    assert response.json()["type"] == "urn:servicedesk:problem:if-match-required"
    with in_schema(system_a):
        assert Ticket.objects.get().status == Status.NEW


def test_a_stale_if_match_is_412_and_the_colleagues_change_stays(
    system_a, agent_a, owner_a, make_ticket, api_for
):
    ticket = make_ticket(agent_a)
    client = api_for(agent_a)
    etag = client.get(f"/api/v1/tickets/{ticket.number}")["ETag"]
    with in_schema(system_a):
        ticket_update(actor=owner_a, ticket=ticket, changes={"priority": Priority.HIGH})
        events = TicketEvent.objects.count()

    response = _patch(
        client,
        f"/api/v1/tickets/{ticket.number}",
        {"priority": "low", "status": "pending"},
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 412
    assert response["ETag"] != etag
    with in_schema(system_a):
        ticket.refresh_from_db()
        assert (ticket.priority, ticket.status) == (Priority.HIGH, Status.NEW)
        assert TicketEvent.objects.count() == events


def test_a_patch_with_the_current_etag_changes_the_fields_and_answers_a_new_etag(
    system_a, agent_a, member_a, make_ticket, api_for
):
    ticket = make_ticket(member_a)
    client = api_for(agent_a)
    etag = client.get(f"/api/v1/tickets/{ticket.number}")["ETag"]

    response = _patch(
        client,
        f"/api/v1/tickets/{ticket.number}",
        {
            "status": "pending",
            "priority": "high",
            "assignee": agent_a.pk,
            "tags": ["Printer", "floor-3"],
            "due_on": "2026-12-24",
        },
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["priority"], body["assignee"]["id"]) == (
        "pending",
        "high",
        agent_a.pk,
    )
    assert body["tags"] == ["floor-3", "printer"] and body["due_on"] == "2026-12-24"
    assert response["ETag"] != etag
    again = _patch(
        client, f"/api/v1/tickets/{ticket.number}", {"status": "open"}, HTTP_IF_MATCH=etag
    )
    assert again.status_code == 412


def test_members_may_not_patch(system_a, member_a, make_ticket, api_for):
    ticket = make_ticket(member_a)
    client = api_for(member_a)
    etag = client.get(f"/api/v1/tickets/{ticket.number}")["ETag"]

    response = _patch(
        client, f"/api/v1/tickets/{ticket.number}", {"status": "closed"}, HTTP_IF_MATCH=etag
    )

    assert response.status_code == 403


def test_a_required_field_sent_as_null_is_a_field_error(system_a, agent_a, make_ticket, api_for):
    ticket = make_ticket(agent_a)
    client = api_for(agent_a)
    etag = client.get(f"/api/v1/tickets/{ticket.number}")["ETag"]

    response = _patch(
        client, f"/api/v1/tickets/{ticket.number}", {"status": None}, HTTP_IF_MATCH=etag
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_reply_and_note_are_written_as_the_tokens_person(
    system_a, agent_a, member_a, make_ticket, api_for
):
    ticket = make_ticket(member_a)
    client = api_for(agent_a)

    reply = _post(client, f"/api/v1/tickets/{ticket.number}/replies", {"body": "On it"})
    note = _post(client, f"/api/v1/tickets/{ticket.number}/notes", {"body": "Check toner"})

    assert reply.status_code == note.status_code == 201
    assert (reply.json()["internal"], note.json()["internal"]) == (False, True)
    assert reply.json()["author"]["id"] == agent_a.pk
    with in_schema(system_a):
        ticket.refresh_from_db()
        assert ticket.status == Status.OPEN  # staff picking up a new ticket, as in the UI


def test_a_read_token_may_not_reply(system_a, agent_a, make_ticket, api_for):
    ticket = make_ticket(agent_a)

    response = _post(
        api_for(agent_a, scope=Scope.READ),
        f"/api/v1/tickets/{ticket.number}/replies",
        {"body": "x"},
    )

    assert response.status_code == 403


def test_merge_moves_the_conversation_and_answers_the_target(
    system_a, agent_a, member_a, make_ticket, api_for
):
    source, target = make_ticket(member_a, subject="Dup"), make_ticket(member_a, subject="Main")
    client = api_for(agent_a)

    response = _post(client, f"/api/v1/tickets/{source.number}/merge", {"into": target.number})

    assert response.status_code == 200, response.content
    assert response.json()["number"] == target.number
    moved = client.get(f"/api/v1/tickets/{source.number}").json()
    assert (moved["status"], moved["merged_into"]) == ("closed", target.number)


def test_members_may_not_merge(system_a, member_a, make_ticket, api_for):
    source, target = make_ticket(member_a), make_ticket(member_a)

    response = _post(
        api_for(member_a), f"/api/v1/tickets/{source.number}/merge", {"into": target.number}
    )

    assert response.status_code == 403


def test_a_repeated_reply_with_its_idempotency_key_is_written_once(
    system_a, agent_a, member_a, make_ticket, api_for
):
    ticket = make_ticket(member_a)
    client = api_for(agent_a)
    path = f"/api/v1/tickets/{ticket.number}/replies"

    first = _post(client, path, {"body": "Only once"}, HTTP_IDEMPOTENCY_KEY="reply-1")
    again = _post(client, path, {"body": "Only once"}, HTTP_IDEMPOTENCY_KEY="reply-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    with in_schema(system_a):
        assert ticket.replies.count() == 1


def test_an_idempotency_key_is_forgotten_after_a_day(system_a, agent_a, api_for):
    client = api_for(agent_a)
    body = {"subject": "Daily report", "description": "x"}
    _post(client, "/api/v1/tickets", body, HTTP_IDEMPOTENCY_KEY="daily")

    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        later = _post(client, "/api/v1/tickets", body, HTTP_IDEMPOTENCY_KEY="daily")

    assert later.status_code == 201 and "Idempotent-Replayed" not in later
    with in_schema(system_a):
        assert Ticket.objects.count() == 2
