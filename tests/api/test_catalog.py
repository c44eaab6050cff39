"""/api/v1/categories, /tags and /fields: everyone reads categories and tags (the list's
filters offer them all); admins add, rename and archive categories with an admin token
(If-Match on changes); custom fields' definitions as each role may see them."""

from __future__ import annotations

import pytest

from accounts.apitokens.models import Scope
from accounts.models import AuditEvent
from tests.api.conftest import bearer_client
from tests.support.tenancy import CANARY_A, in_schema
from tickets.fields.models import TicketField
from tickets.models import Category, Tag


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item.get("name") or item.get("label") for item in response.json()["items"]]


def test_everyone_reads_the_categories_archived_ones_marked(system_a, member_a, agent_a, api_for):
    with in_schema(system_a):
        Category.objects.create(name="Billing", position=0)
        Category.objects.create(name="Old", position=1, is_active=False)

    for person in (member_a, agent_a):
        assert _names(api_for(person, scope=Scope.READ).get("/api/v1/categories")) == [
            "Billing",
            "Old",
        ]
    active = api_for(member_a).get("/api/v1/categories", {"active": "true"})
    assert _names(active) == ["Billing"]


@pytest.mark.parametrize("writer", ["owner", "admin"])
def test_an_admin_adds_renames_and_archives_a_category_with_an_admin_token(
    system_a, owner_a, admin_a, api_for, writer
):
    client = api_for(owner_a if writer == "owner" else admin_a, scope=Scope.ADMIN)

    made = client.post("/api/v1/categories", {"name": "Hardware"}, "application/json")
    assert made.status_code == 201, made.content
    url = f"/api/v1/categories/{made.json()['id']}"
    etag = made["ETag"]
    renamed = client.patch(
        url, {"name": "Devices", "active": False}, "application/json", HTTP_IF_MATCH=etag
    )

    assert renamed.status_code == 200, renamed.content
    assert (renamed.json()["name"], renamed.json()["active"]) == ("Devices", False)
    stale = client.patch(url, {"name": "Again"}, "application/json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert client.patch(url, {"name": "Again"}, "application/json").status_code == 428
    with in_schema(system_a):
        assert Category.objects.get().name == "Devices"
        assert AuditEvent.objects.filter(action=AuditEvent.Action.API_ADMIN_CALL).count() == 4


def test_a_taken_name_is_a_field_error(system_a, admin_a, api_for):
    with in_schema(system_a):
        Category.objects.create(name="Billing")

    response = api_for(admin_a, scope=Scope.ADMIN).post(
        "/api/v1/categories", {"name": "billing"}, "application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


@pytest.mark.parametrize(("role", "scope"), [("agent", Scope.WRITE), ("admin", Scope.WRITE)])
def test_agents_and_write_tokens_cant_change_categories(
    system_a, agent_a, admin_a, api_for, role, scope
):
    person = agent_a if role == "agent" else admin_a

    response = api_for(person, scope=scope).post(
        "/api/v1/categories", {"name": "Nope"}, "application/json"
    )

    assert response.status_code == 403
    with in_schema(system_a):
        assert not Category.objects.exists()


def test_an_admin_token_never_exceeds_its_persons_role(system_a, admin_a, api_for):
    with in_schema(system_a):
        category = Category.objects.create(name="Billing")
    client = api_for(admin_a, scope=Scope.ADMIN)
    with in_schema(system_a):
        admin_a.role = "agent"  # his personal token lives on; his role no longer allows it
        admin_a.save(update_fields=["role"])

    response = client.patch(
        f"/api/v1/categories/{category.pk}", {"name": "X"}, "application/json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 403
    assert response.json()["type"].endswith(":forbidden")
    with in_schema(system_a):
        assert Category.objects.get().name == "Billing"


def test_a_category_answers_304_to_its_etag(system_a, member_a, api_for):
    with in_schema(system_a):
        category = Category.objects.create(name="Billing")
    client = api_for(member_a)
    etag = client.get(f"/api/v1/categories/{category.pk}")["ETag"]

    again = client.get(f"/api/v1/categories/{category.pk}", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304


def test_tags_are_listed_by_name_with_a_link_to_their_tickets(
    system_a, agent_a, member_a, make_ticket, api_for
):
    make_ticket(agent_a, tags=["printer", "vpn"])

    response = api_for(member_a).get("/api/v1/tags", {"prefix": "pr"})

    [tag] = response.json()["items"]
    assert tag["name"] == "printer"
    assert tag["tickets_url"].endswith("/api/v1/tickets?tag=printer")


def test_members_see_only_the_fields_shown_to_everyone(system_a, agent_a, member_a, api_for):
    with in_schema(system_a):
        TicketField.objects.create(label="Asset", key="asset", kind="text", position=0)
        TicketField.objects.create(
            label=f"Cost {CANARY_A}", key="cost", kind="number", visibility="staff", position=1
        )

    as_member = api_for(member_a).get("/api/v1/fields")
    as_agent = api_for(agent_a).get("/api/v1/fields")

    assert _names(as_member) == ["Asset"]
    assert CANARY_A not in as_member.content.decode()
    assert _names(as_agent) == ["Asset", f"Cost {CANARY_A}"]
    assert as_agent.json()["items"][1]["filter"] == "cf_cost"
    staff_only = as_agent.json()["items"][1]["id"]
    assert api_for(member_a).get(f"/api/v1/fields/{staff_only}").status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_the_lists_cost_the_same_queries_for_5_or_50_rows(
    system_a, member_a, api_for, django_assert_num_queries, count
):
    with in_schema(system_a):
        for n in range(count):
            Category.objects.create(name=f"Category {n}", position=n)
            Tag.objects.create(name=f"tag-{n}")
            TicketField.objects.create(label=f"Field {n}", key=f"f{n}", kind="text", position=n)
    client = api_for(member_a)
    client.get("/api/v1/categories")

    for path, queries in (("categories", 6), ("tags", 6), ("fields", 6)):
        with django_assert_num_queries(queries):
            response = client.get(f"/api/v1/{path}?limit=100")
        assert len(response.json()["items"]) == count


def test_system_bs_token_gets_401(system_a, system_b, user_b, token_for):
    client = bearer_client(system_a, token_for(user_b, system=system_b))

    for path in ("/api/v1/categories", "/api/v1/tags", "/api/v1/fields"):
        assert client.get(path).status_code == 401
