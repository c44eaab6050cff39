"""/api/v1/people and /api/v1/contacts: who sees whom (the seats page for admins, the
assignee picker for agents, nobody for members), invitations through the seats page's
service (seat cap, hourly limit, audit row), contacts for staff."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.apitokens.models import Scope
from accounts.models import AuditEvent, Invitation, Role
from tenants.models import System
from tests.api.conftest import bearer_client
from tests.factories import UserFactory
from tests.support.tenancy import CANARY_A, in_schema
from tickets.models import Contact


def _emails(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["email"] for item in response.json()["items"]]


@pytest.mark.parametrize("reader", ["owner", "admin"])
def test_admins_and_the_owner_see_every_account_with_the_seats_pages_details(
    system_a, owner_a, admin_a, agent_a, member_a, api_for, reader
):
    with in_schema(system_a):
        UserFactory(email="gone@alpha.example", full_name="Gone", is_active=False)
    client = api_for(owner_a if reader == "owner" else admin_a)

    items = client.get("/api/v1/people").json()["items"]

    assert {item["email"] for item in items} == {
        owner_a.email,
        admin_a.email,
        agent_a.email,
        member_a.email,
        "gone@alpha.example",
    }
    gone = next(item for item in items if item["email"] == "gone@alpha.example")
    assert gone["active"] is False and gone["second_factor"] is False
    assert client.get("/api/v1/people", {"active": "false"}).json()["items"] == [gone]


def test_agents_see_the_active_staff_as_the_assignee_picker(
    system_a, owner_a, admin_a, agent_a, member_a, api_for
):
    response = api_for(agent_a).get("/api/v1/people")

    assert sorted(_emails(response)) == sorted([owner_a.email, admin_a.email, agent_a.email])
    assert all(item["suspended"] is None for item in response.json()["items"])
    assert api_for(agent_a).get(f"/api/v1/people/{member_a.pk}").status_code == 404


def test_members_see_nobody_but_themselves(system_a, agent_a, member_a, api_for):
    client = api_for(member_a)

    assert client.get("/api/v1/people").status_code == 403
    assert client.get(f"/api/v1/people/{agent_a.pk}").status_code == 403
    me = client.get("/api/v1/people/me")
    assert me.status_code == 200 and me.json()["email"] == member_a.email
    assert agent_a.email not in me.content.decode()


def test_a_person_answers_304_to_his_etag(system_a, admin_a, agent_a, api_for):
    client = api_for(admin_a)
    etag = client.get(f"/api/v1/people/{agent_a.pk}")["ETag"]

    assert client.get(f"/api/v1/people/{agent_a.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with in_schema(system_a):
        agent_a.full_name = "Renamed"
        agent_a.save()
    assert client.get(f"/api/v1/people/{agent_a.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_costs_the_same_queries_for_5_or_50_people(
    system_a, admin_a, api_for, django_assert_num_queries, count
):
    System.objects.filter(pk=system_a.pk).update(seat_cap=100)
    with in_schema(system_a):
        for n in range(count - 1):
            UserFactory(email=f"p{n}@alpha.example", role=Role.MEMBER)
    client = api_for(admin_a)
    client.get("/api/v1/people")

    with django_assert_num_queries(6):
        assert len(client.get("/api/v1/people?limit=100").json()["items"]) == count


# --- invitations ---------------------------------------------------------------------------


def test_an_admin_invites_with_an_admin_token_as_from_the_seats_page(
    system_a, admin_a, api_for, django_capture_on_commit_callbacks
):
    System.objects.filter(pk=system_a.pk).update(seat_cap=10)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(admin_a, scope=Scope.ADMIN).post(
            "/api/v1/people/invitations",
            {"email": "New.Person@Example.com", "role": "agent"},
            content_type="application/json",
        )

    assert response.status_code == 201, response.content
    assert response.json()["email"] == "new.person@example.com"
    assert [message.to for message in mail.outbox] == [["new.person@example.com"]]
    with in_schema(system_a):
        assert Invitation.objects.get().role == Role.AGENT
        actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditEvent.Action.INVITE_SENT, AuditEvent.Action.API_ADMIN_CALL} <= actions
    listed = api_for(admin_a, scope=Scope.READ).get("/api/v1/people/invitations").json()
    assert [item["email"] for item in listed["items"]] == ["new.person@example.com"]


def test_a_write_token_cant_invite(system_a, admin_a, api_for):
    response = api_for(admin_a, scope=Scope.WRITE).post(
        "/api/v1/people/invitations", {"email": "x@example.com"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["type"].endswith("insufficient-scope")


def test_an_agent_cant_invite_even_with_any_token(system_a, agent_a, api_for):
    response = api_for(agent_a).post(
        "/api/v1/people/invitations", {"email": "x@example.com"}, content_type="application/json"
    )

    assert response.status_code == 403
    with in_schema(system_a):
        assert not Invitation.objects.exists()


def test_an_invitation_beyond_the_seat_cap_is_refused_with_a_clear_detail(
    system_a, owner_a, admin_a, api_for
):
    System.objects.filter(pk=system_a.pk).update(seat_cap=2)  # owner and admin: full

    response = api_for(admin_a, scope=Scope.ADMIN).post(
        "/api/v1/people/invitations", {"email": "x@example.com"}, content_type="application/json"
    )

    assert response.status_code == 422
    problem = response.json()
    assert "No free seat" in problem["detail"]
    assert problem["errors"][0]["field"] == "email"
    with in_schema(system_a):
        assert not Invitation.objects.exists()


def test_the_seats_pages_invite_limit_applies(system_a, admin_a, api_for, settings):
    settings.INVITES_PER_HOUR = 2
    System.objects.filter(pk=system_a.pk).update(seat_cap=50)
    client = api_for(admin_a, scope=Scope.ADMIN)

    answers = [
        client.post(
            "/api/v1/people/invitations", {"email": f"p{n}@example.com"}, "application/json"
        ).status_code
        for n in range(3)
    ]

    assert answers == [201, 201, 422]


def test_a_bad_address_or_role_is_a_field_error(system_a, admin_a, api_for):
    System.objects.filter(pk=system_a.pk).update(seat_cap=10)
    client = api_for(admin_a, scope=Scope.ADMIN)
    path = "/api/v1/people/invitations"

    address = client.post(path, {"email": "not an address"}, "application/json")
    owner = client.post(path, {"email": "x@example.com", "role": "owner"}, "application/json")

    assert address.status_code == owner.status_code == 422
    assert address.json()["errors"] == [
        {"field": "email", "message": "“not an address” is not an email address."}
    ]
    assert [error["field"] for error in owner.json()["errors"]] == ["role"]


# --- contacts ------------------------------------------------------------------------------


def test_contacts_are_staffs(system_a, agent_a, member_a, api_for):
    with in_schema(system_a):
        Contact.objects.create(email="writer@outside.example", name=f"Wanda {CANARY_A}")

    as_agent = api_for(agent_a).get("/api/v1/contacts", {"q": "wanda"})
    as_member = api_for(member_a).get("/api/v1/contacts")

    assert _emails(as_agent) == ["writer@outside.example"]
    assert as_member.status_code == 403 and CANARY_A not in as_member.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_the_contacts_list_costs_the_same_queries_for_5_or_50(
    system_a, agent_a, api_for, django_assert_num_queries, count
):
    with in_schema(system_a):
        for n in range(count):
            Contact.objects.create(email=f"c{n}@outside.example")
    client = api_for(agent_a)
    client.get("/api/v1/contacts")

    with django_assert_num_queries(6):
        assert len(client.get("/api/v1/contacts?limit=100").json()["items"]) == count


def test_system_bs_token_gets_401_for_people_and_contacts(system_a, system_b, user_b, token_for):
    client = bearer_client(system_a, token_for(user_b, system=system_b))

    for path in ("/api/v1/people", "/api/v1/people/me", "/api/v1/contacts"):
        response = client.get(path)
        assert response.status_code == 401
        assert CANARY_A not in response.content.decode()
