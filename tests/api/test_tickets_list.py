"""GET /api/v1/tickets: the UI's filters, sort and search; cursor pages stable while
tickets are added; a fixed number of queries whatever the page."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from accounts.apitokens.models import Scope
from tests.support.tenancy import in_schema
from tickets.models import Category, Priority, Status, Ticket
from tickets.services.tickets import ticket_create, ticket_update


def _subjects(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["subject"] for item in response.json()["items"]]


def test_members_list_only_their_own_tickets(system_a, agent_a, member_a, make_ticket, api_for):
    make_ticket(member_a, subject="Mine")
    make_ticket(agent_a, subject="Not mine")

    assert _subjects(api_for(member_a).get("/api/v1/tickets")) == ["Mine"]
    assert sorted(_subjects(api_for(agent_a).get("/api/v1/tickets"))) == ["Mine", "Not mine"]


def test_the_uis_filters_apply(system_a, agent_a, member_a, make_ticket, api_for):
    with in_schema(system_a):
        billing = Category.objects.create(name="Billing")
    make_ticket(agent_a, subject="Urgent billing", priority=Priority.URGENT, category=billing)
    make_ticket(agent_a, subject="Tagged", tags=["printer"], assignee=agent_a)
    solved = make_ticket(agent_a, subject="Solved one")
    with in_schema(system_a):
        ticket_update(actor=agent_a, ticket=solved, changes={"status": Status.SOLVED})
    client = api_for(agent_a)

    assert _subjects(client.get("/api/v1/tickets", {"priority": "urgent"})) == ["Urgent billing"]
    assert _subjects(client.get("/api/v1/tickets", {"category": billing.pk})) == ["Urgent billing"]
    assert _subjects(client.get("/api/v1/tickets", {"tag": "printer"})) == ["Tagged"]
    assert _subjects(client.get("/api/v1/tickets", {"assignee": "me"})) == ["Tagged"]
    assert _subjects(client.get("/api/v1/tickets", {"status": "solved"})) == ["Solved one"]
    assert sorted(_subjects(client.get("/api/v1/tickets?status=new&status=open"))) == [
        "Tagged",
        "Urgent billing",
    ]


def test_search_finds_words_as_the_ui_does(system_a, agent_a, make_ticket, api_for):
    make_ticket(agent_a, subject="Printer jammed", description="Error E42 on floor 3")
    make_ticket(agent_a, subject="VPN down", description="Cannot connect")

    assert _subjects(api_for(agent_a).get("/api/v1/tickets", {"q": "e42"})) == ["Printer jammed"]


def test_sorts_are_the_uis(system_a, agent_a, make_ticket, api_for):
    low = make_ticket(agent_a, subject="Low", priority=Priority.LOW)
    make_ticket(agent_a, subject="Urgent", priority=Priority.URGENT)
    with in_schema(system_a):
        Ticket.objects.filter(pk=low.pk).update(due_on=timezone.localdate())
    client = api_for(agent_a)

    assert _subjects(client.get("/api/v1/tickets", {"sort": "priority"})) == ["Urgent", "Low"]
    assert _subjects(client.get("/api/v1/tickets", {"sort": "number"})) == ["Urgent", "Low"]
    assert _subjects(client.get("/api/v1/tickets", {"sort": "due"})) == ["Low", "Urgent"]
    assert _subjects(client.get("/api/v1/tickets", {"sort": "oldest"})) == ["Low", "Urgent"]


def test_unknown_filter_values_are_field_errors(system_a, agent_a, api_for):
    response = api_for(agent_a).get("/api/v1/tickets?status=lost&sort=random")

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"status", "sort"}


def _walk(client, path: str, during=None) -> list[int]:
    seen: list[int] = []
    url = path
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [item["number"] for item in body["items"]]
        if during is not None:
            during(pages)
        pages += 1
        url = body["next"]
        if url:
            parts = urlsplit(url)
            assert parts.netloc == client.defaults["HTTP_HOST"]
            url = f"{parts.path}?{parts.query}"
    return seen


@pytest.mark.parametrize("sort", ["updated", "created", "number", "priority", "due"])
def test_a_cursor_walk_over_250_tickets_has_no_duplicates_or_gaps_while_tickets_arrive(
    system_a, agent_a, api_for, sort
):
    start = timezone.now() - timedelta(days=1)
    with in_schema(system_a):
        for n in range(250):
            ticket = ticket_create(
                actor=agent_a,
                subject=f"Ticket {n}",
                description="x",
                priority=[Priority.LOW, Priority.HIGH][n % 2],
            )
            # Ties on purpose: the keyset's last column (the id) must separate them.
            Ticket.objects.filter(pk=ticket.pk).update(
                updated_at=start + timedelta(minutes=n // 3),
                created_at=start + timedelta(minutes=n // 3),
                due_on=None if n % 5 == 0 else (start + timedelta(days=n % 7)).date(),
            )
        existing = set(Ticket.objects.values_list("number", flat=True))

    def arrive(page: int) -> None:
        with in_schema(system_a):
            ticket_create(actor=agent_a, subject=f"Arrived during page {page}", description="x")

    seen = _walk(
        api_for(agent_a, scope=Scope.READ), f"/api/v1/tickets?limit=40&sort={sort}", arrive
    )

    assert len(seen) == len(set(seen)), "a ticket came twice"
    assert existing <= set(seen), "a ticket was skipped"


def test_the_list_costs_the_same_queries_for_10_or_60_tickets(
    system_a, agent_a, make_ticket, api_for, django_assert_num_queries
):
    client = api_for(agent_a)
    client.get("/api/v1/tickets")  # the terms check is cached from here on; last use written
    for n in range(10):
        make_ticket(agent_a, subject=f"T{n}", tags=["a", "b"])

    with django_assert_num_queries(8):
        assert len(_subjects(client.get("/api/v1/tickets?limit=50"))) == 10
    for n in range(50):
        make_ticket(agent_a, subject=f"U{n}", tags=["c"])
    with django_assert_num_queries(8):
        assert len(_subjects(client.get("/api/v1/tickets?limit=50"))) == 50


def test_a_members_list_costs_one_query_more_for_the_tickets_he_follows(
    system_a, member_a, make_ticket, api_for, django_assert_num_queries
):
    client = api_for(member_a)
    client.get("/api/v1/tickets")
    for n in range(5):
        make_ticket(member_a, subject=f"M{n}")

    with django_assert_num_queries(9):
        assert len(_subjects(client.get("/api/v1/tickets"))) == 5
