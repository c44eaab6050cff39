"""/api/v1/views: the shared views and the person's own (staff), run as the API's ticket
list; saving one with the list's filters (kept as the page keeps it), deleting one's own;
shared ones need an admin and an admin token."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from accounts.apitokens.models import Scope
from accounts.models import AuditEvent
from tests.api.conftest import bearer_client
from tests.factories import UserFactory
from tests.support.tenancy import CANARY_A, client_for, in_schema
from tickets.models import Priority
from tickets.saved.models import SavedView


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_an_agent_saves_a_view_and_runs_it_as_the_ticket_list(
    system_a, agent_a, make_ticket, api_for
):
    make_ticket(agent_a, subject="Urgent", priority=Priority.URGENT, assignee=agent_a)
    make_ticket(agent_a, subject="Low", priority=Priority.LOW, assignee=agent_a)
    client = api_for(agent_a)

    made = client.post(
        "/api/v1/views",
        {"name": "My urgent", "filters": "assignee=me&priority=urgent&created_from=2020-01-01"},
        "application/json",
    )

    assert made.status_code == 201, made.content
    view = made.json()
    with in_schema(system_a):
        stored = SavedView.objects.get()
    # Kept as the list page keeps it, so the view opens there too.
    assert stored.query == "assignee=me&from=2020-01-01&priority=urgent"
    assert stored.owner_id == agent_a.pk
    assert view["filters"] == "priority=urgent&assignee=me&created_from=2020-01-01"
    run = client.get(_path(view["tickets_url"]))
    assert [t["subject"] for t in run.json()["items"]] == ["Urgent"]
    page = client_for(system_a, agent_a).get(_path(view["page_url"]))
    assert page.status_code == 200 and "Urgent" in page.content.decode()


def test_unknown_filter_values_are_field_errors(system_a, agent_a, api_for):
    response = api_for(agent_a).post(
        "/api/v1/views", {"name": "Bad", "filters": "status=lost"}, "application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_each_agent_sees_the_shared_views_and_his_own(system_a, agent_a, admin_a, api_for):
    with in_schema(system_a):
        SavedView.objects.create(name="Shared", query="status=open")
        SavedView.objects.create(name=f"Ada's {CANARY_A}", owner=admin_a)
        mine = SavedView.objects.create(name="Mine", owner=agent_a)
        other = SavedView.objects.get(owner=admin_a)
    client = api_for(agent_a)

    listed = client.get("/api/v1/views").json()["items"]

    assert [(v["name"], v["shared"]) for v in listed] == [("Shared", True), ("Mine", False)]
    assert client.get(f"/api/v1/views/{mine.pk}").status_code == 200
    assert client.get(f"/api/v1/views/{other.pk}").status_code == 404
    assert client.delete(f"/api/v1/views/{other.pk}").status_code == 404


def test_members_have_no_views(system_a, member_a, api_for):
    client = api_for(member_a)

    assert client.get("/api/v1/views").status_code == 403
    made = client.post("/api/v1/views", {"name": "X"}, "application/json")
    assert made.status_code == 403


def test_a_read_token_cant_save_a_view(system_a, agent_a, api_for):
    response = api_for(agent_a, scope=Scope.READ).post(
        "/api/v1/views", {"name": "X"}, "application/json"
    )

    assert response.status_code == 403
    with in_schema(system_a):
        assert not SavedView.objects.exists()


def test_shared_views_need_an_admin_and_an_admin_token(system_a, admin_a, agent_a, api_for):
    body = {"name": "Team", "filters": "status=open", "shared": True}

    with_write = api_for(admin_a).post("/api/v1/views", body, "application/json")
    by_agent = api_for(agent_a).post("/api/v1/views", body, "application/json")
    made = api_for(admin_a, scope=Scope.ADMIN).post("/api/v1/views", body, "application/json")

    assert with_write.status_code == 403
    assert with_write.json()["type"].endswith("insufficient-scope")
    assert by_agent.status_code == 403
    assert made.status_code == 201 and made.json()["shared"] is True
    with in_schema(system_a):
        actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert AuditEvent.Action.SHARED_TOOLS_CHANGED in actions
    assert AuditEvent.Action.API_ADMIN_CALL in actions
    view_id = made.json()["id"]
    assert api_for(agent_a).delete(f"/api/v1/views/{view_id}").status_code == 403
    assert api_for(admin_a, scope=Scope.ADMIN).delete(f"/api/v1/views/{view_id}").status_code == 204


def test_an_agent_deletes_his_own_view(system_a, agent_a, api_for):
    with in_schema(system_a):
        view = SavedView.objects.create(name="Mine", owner=agent_a)

    response = api_for(agent_a).delete(f"/api/v1/views/{view.pk}")

    assert response.status_code == 204
    with in_schema(system_a):
        assert not SavedView.objects.exists()


def test_a_view_answers_304_to_its_etag(system_a, agent_a, api_for):
    with in_schema(system_a):
        view = SavedView.objects.create(name="Mine", owner=agent_a)
    client = api_for(agent_a)
    etag = client.get(f"/api/v1/views/{view.pk}")["ETag"]

    assert client.get(f"/api/v1/views/{view.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_costs_the_same_queries_for_5_or_50_views(
    system_a, agent_a, api_for, django_assert_num_queries, count
):
    with in_schema(system_a):
        for n in range(count):
            owner = agent_a if n % 2 else None
            SavedView.objects.create(name=f"View {n}", owner=owner, query="status=open")
    client = api_for(agent_a)
    client.get("/api/v1/views")

    with django_assert_num_queries(6):
        assert len(client.get("/api/v1/views?limit=100").json()["items"]) == count


def test_system_bs_token_gets_401(system_a, system_b, token_for):
    with in_schema(system_b):
        intruder = UserFactory(email="agent@bravo.example", role="agent")
    client = bearer_client(system_a, token_for(intruder, system=system_b))

    assert client.get("/api/v1/views").status_code == 401
