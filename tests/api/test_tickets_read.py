"""GET /api/v1/tickets/<number>: the ticket with its conversation (members never see
internal notes), an ETag and 304 on If-None-Match, in a fixed number of queries."""

from __future__ import annotations

from tests.support.tenancy import in_schema
from tickets.services.tickets import ticket_reply


def test_members_never_see_internal_notes(system_a, agent_a, member_a, make_ticket, api_for):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        ticket_reply(actor=agent_a, ticket=ticket, body="Public answer")
        ticket_reply(actor=agent_a, ticket=ticket, body="Staff only", internal=True)

    as_member = api_for(member_a).get(f"/api/v1/tickets/{ticket.number}").json()
    as_agent = api_for(agent_a).get(f"/api/v1/tickets/{ticket.number}").json()

    assert [r["body"] for r in as_member["replies"]] == ["Public answer"]
    assert [(r["body"], r["internal"]) for r in as_agent["replies"]] == [
        ("Public answer", False),
        ("Staff only", True),
    ]
    assert "Staff only" not in str(as_member)
    assert as_member["requester"]["email"] is None  # addresses are staff's to see
    assert as_agent["requester"]["email"] == member_a.email


def test_an_unchanged_ticket_answers_304_to_its_etag(system_a, agent_a, make_ticket, api_for):
    ticket = make_ticket(agent_a)
    client = api_for(agent_a)
    first = client.get(f"/api/v1/tickets/{ticket.number}")
    etag = first["ETag"]

    again = client.get(f"/api/v1/tickets/{ticket.number}", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    with in_schema(system_a):
        ticket_reply(actor=agent_a, ticket=ticket, body="Something new")
    changed = client.get(f"/api/v1/tickets/{ticket.number}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_reading_costs_the_same_queries_for_1_or_20_replies(
    system_a, agent_a, member_a, make_ticket, api_for, django_assert_num_queries
):
    ticket = make_ticket(member_a, tags=["a"])
    client = api_for(agent_a)
    client.get(f"/api/v1/tickets/{ticket.number}")
    with in_schema(system_a):
        ticket_reply(actor=member_a, ticket=ticket, body="First")

    with django_assert_num_queries(8):
        assert len(client.get(f"/api/v1/tickets/{ticket.number}").json()["replies"]) == 1
    with in_schema(system_a):
        for n in range(19):
            ticket_reply(actor=agent_a, ticket=ticket, body=f"Reply {n}", internal=n % 2 == 0)
    with django_assert_num_queries(8):
        assert len(client.get(f"/api/v1/tickets/{ticket.number}").json()["replies"]) == 20
