"""Exactly one owner; transfer; System settings; opening another System."""

import pytest
from django.db import IntegrityError

from accounts.models import AuditEvent, Role, User
from accounts.services.people import ownership_transfer
from tenants.models import System
from tests.factories import PASSWORD, UserFactory
from tests.support.tenancy import client_for, handoff_follow, handoff_form, in_schema


def test_a_system_cannot_have_two_owners(system_a, owner_a):
    with in_schema(system_a), pytest.raises(IntegrityError):
        UserFactory(role=Role.OWNER)


def test_the_owner_transfers_ownership_and_becomes_admin(system_a, owner_a, admin_a):
    client = client_for(system_a, owner_a)

    response = client.post("/settings/ownership/", {"new_owner": admin_a.pk, "password": PASSWORD})

    assert response.status_code == 302
    with in_schema(system_a):
        assert User.objects.get(pk=admin_a.pk).role == Role.OWNER
        assert User.objects.get(pk=owner_a.pk).role == Role.ADMIN
        event = AuditEvent.objects.get(action="ownership_transferred")
        assert event.detail == {"from": owner_a.email, "to": admin_a.email}
    system_a.refresh_from_db()
    assert system_a.owner_email == admin_a.email


def test_transfer_asks_for_the_password_and_keeps_the_choice_on_error(system_a, owner_a, admin_a):
    response = client_for(system_a, owner_a).post(
        "/settings/ownership/", {"new_owner": admin_a.pk, "password": "wrong"}
    )

    assert response.status_code == 400
    assert b"That is not your password" in response.content
    assert f'value="{admin_a.pk}" selected'.encode() in response.content
    with in_schema(system_a):
        assert User.objects.get(pk=owner_a.pk).role == Role.OWNER


def test_admins_cannot_transfer_or_change_settings(system_a, owner_a, admin_a):
    client = client_for(system_a, admin_a)
    assert client.get("/settings/ownership/").status_code == 403
    assert client.get("/settings/").status_code == 403
    assert client.get("/settings/new-system/").status_code == 403


def test_ownership_can_not_go_to_a_deactivated_account(system_a, owner_a):
    with in_schema(system_a):
        gone = UserFactory(role=Role.AGENT, is_active=False)
        with pytest.raises(Exception):  # noqa: B017 - PermissionDenied or ValidationError
            ownership_transfer(actor=owner_a, new_owner=gone)


def test_the_owner_sets_idle_timeout_and_invitation_expiry(system_a, owner_a):
    client = client_for(system_a, owner_a)

    response = client.post(
        "/settings/",
        {
            "name": "Alpha Help",
            "idle_timeout_minutes": "60",
            "invite_expiry_days": "3",
            "language": "en",
            "time_zone": "UTC",
        },
    )

    assert response.status_code == 302
    system_a.refresh_from_db()
    assert (system_a.name, system_a.idle_timeout_minutes, system_a.invite_expiry_days) == (
        "Alpha Help",
        60,
        3,
    )
    with in_schema(system_a):
        event = AuditEvent.objects.get(action="settings_changed")
    assert event.detail["idle_timeout_minutes"] == [480, 60]


def test_bad_settings_are_refused_and_kept(system_a, owner_a):
    response = client_for(system_a, owner_a).post(
        "/settings/",
        {"name": "Alpha Help", "idle_timeout_minutes": "7", "invite_expiry_days": "90"},
    )
    assert response.status_code == 400
    assert b'value="Alpha Help"' in response.content
    system_a.refresh_from_db()
    assert system_a.invite_expiry_days == 7


def test_the_owner_opens_another_system_for_the_same_customer(system_a, owner_a):
    client = client_for(system_a, owner_a)

    response = client.post("/settings/new-system/", {"name": "Alpha Europe", "slug": "alpha-eu"})

    action, _token = handoff_form(response)
    assert action == "http://alpha-eu.localhost/welcome/"
    second = System.objects.get(slug="alpha-eu")
    assert second.customer == system_a.customer
    assert second.schema_name != system_a.schema_name
    with in_schema(second):
        (owner,) = User.objects.all()
        assert (owner.email, owner.role) == (owner_a.email, Role.OWNER)
        assert owner.check_password(PASSWORD)
    # A separate account: the session at alpha. means nothing at alpha-eu.
    assert client.get("/", HTTP_HOST="alpha-eu.localhost").status_code == 302
    landing = handoff_follow(response, origin="http://alpha.localhost")
    assert landing.get("/").status_code == 200


def test_opening_another_system_checks_the_address_like_signup(system_a, owner_a, system_b):
    client = client_for(system_a, owner_a)

    response = client.post("/settings/new-system/", {"name": "Clash", "slug": system_b.slug})

    assert response.status_code == 400
    assert "already taken" in response.content.decode()
    assert b'value="Clash"' in response.content
    assert client.get("/settings/new-system/check/", {"slug": "www"}).json()["available"] is False
