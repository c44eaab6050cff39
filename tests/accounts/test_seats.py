"""Seats: the ledger, deactivation, reactivation and the seats page."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session

from accounts.models import AuditEvent, Role, SeatEvent, User
from accounts.services import seats
from tests.factories import UserFactory, accept_current_terms
from tests.support.tenancy import client_for, in_schema


@pytest.fixture
def registered(system_a):
    """Three accounts made the real way (each takes a seat through the ledger)."""
    with in_schema(system_a):
        people = [
            seats.user_register(
                email=f"p{n}@example.com", full_name=f"P {n}", role=role, password="pw-123456789"
            )
            for n, role in enumerate([Role.OWNER, Role.ADMIN, Role.AGENT])
        ]
        for person in people:
            accept_current_terms(person)
        return people


def test_every_registration_is_a_ledger_row_with_the_count_after_it(system_a, registered):
    with in_schema(system_a):
        ledger = list(
            SeatEvent.objects.order_by("created_at", "id").values_list("delta", "seats_after")
        )
    assert ledger == [(1, 1), (1, 2), (1, 3)]
    system_a.refresh_from_db()
    assert (system_a.seats_used, system_a.owner_email) == (3, "p0@example.com")


def test_registering_beyond_the_cap_is_refused(system_a, registered, seat_cap):
    seat_cap(3)
    with in_schema(system_a), pytest.raises(seats.SeatsFull):
        seats.user_register(
            email="x@example.com", full_name="X", role=Role.AGENT, password="pw-123456789"
        )


def test_deactivating_frees_the_seat_and_ends_the_sessions(system_a, registered):
    owner, _admin, agent = registered
    agent_client = client_for(system_a, agent)
    assert agent_client.get("/").status_code == 200

    with in_schema(system_a):
        seats.user_deactivate(actor=owner, user=agent)
        assert not Session.objects.filter(session_key=agent_client.session.session_key).exists()
        last = SeatEvent.objects.latest("created_at", "id")
        assert (last.delta, last.seats_after, last.reason) == (-1, 2, "deactivated")
        assert AuditEvent.objects.filter(
            action="user_deactivated", target_label=agent.email
        ).exists()
    assert agent_client.get("/").status_code == 302


def test_reactivating_needs_a_free_seat(system_a, registered, seat_cap):
    owner, _admin, agent = registered
    with in_schema(system_a):
        seats.user_deactivate(actor=owner, user=agent)
        seats.user_register(
            email="late@example.com", full_name="Late", role=Role.MEMBER, password="pw-123456789"
        )
    seat_cap(3)

    with in_schema(system_a), pytest.raises(seats.SeatsFull):
        seats.user_reactivate(actor=owner, user=agent)

    seat_cap(4)
    with in_schema(system_a):
        seats.user_reactivate(actor=owner, user=agent)
        assert User.objects.get(pk=agent.pk).is_active


def test_the_owner_cannot_be_deactivated_by_an_admin(system_a, registered):
    owner, admin, _agent = registered
    client = client_for(system_a, admin)

    assert client.post(f"/settings/people/{owner.pk}/deactivate/").status_code == 403
    with in_schema(system_a):
        assert User.objects.get(pk=owner.pk).is_active


def test_deactivating_an_unknown_id_is_a_404(system_a, registered):
    owner = registered[0]
    assert (
        client_for(system_a, owner).post("/settings/people/999999/deactivate/").status_code == 404
    )


def test_the_seats_page_shows_usage_people_mfa_and_pending_invitations(system_a, registered):
    owner, admin, agent = registered
    with in_schema(system_a):
        Authenticator.objects.create(user=agent, type=Authenticator.Type.TOTP, data={})
        from accounts.services.invitations import invitation_create

        invitation_create(actor=owner, email="pending@example.com", role=Role.MEMBER)

    response = client_for(system_a, owner).get("/settings/people/")

    assert response.status_code == 200
    page = response.content.decode()
    summary = "<strong>3</strong> of <strong>5</strong> seats used, 1 promised to pending"
    assert f"{summary} invitations; 1 free." in " ".join(page.split())
    assert '<meter class="w-100" min="0" max="5" value="3"' in page
    assert "pending@example.com" in page
    people = {person.email: person for person in response.context["page"]}
    assert people[agent.email].has_mfa and not people[admin.email].has_mfa


def test_the_seats_page_query_count_does_not_grow_with_people(
    system_a, registered, seat_cap, django_assert_max_num_queries
):
    owner = registered[0]
    client = client_for(system_a, owner)
    seat_cap(100)
    client.get("/settings/people/")  # the first request also records the session
    with django_assert_max_num_queries(12) as small:
        response = client.get("/settings/people/")
        assert response.status_code == 200 and owner.email in response.content.decode()
    small_count = len(small.captured_queries)
    assert small_count > 0
    with in_schema(system_a):
        for _n in range(40):
            UserFactory(role=Role.AGENT, full_name="Agent Forty")
    with django_assert_max_num_queries(small_count):
        response = client.get("/settings/people/")
        assert response.status_code == 200 and "Agent Forty" in response.content.decode()
