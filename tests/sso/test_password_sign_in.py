"""Password sign-in while a provider is connected: allowed by default; when the admins turn
it off, refused for everyone but the owner (the way back in when the provider fails)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent
from accounts.sso import services
from tests.factories import PASSWORD
from tests.sso.conftest import signed_in_as, sso_connect
from tests.support.tenancy import client_for, in_schema


def _password_login(client, email):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_passwords_work_while_the_admins_allow_them(system_a, owner_a, agent_a, issuer):
    sso_connect(system_a, owner_a, issuer)
    client = client_for(system_a)

    response = _password_login(client, agent_a.email)

    assert response.status_code == 302
    assert signed_in_as(client, system_a) == agent_a


def test_turned_off_a_password_signs_nobody_in_but_the_owner(
    system_a, owner_a, agent_a, admin_a, issuer
):
    sso_connect(system_a, owner_a, issuer, password_login_allowed=False)

    for person in (agent_a, admin_a):
        client = client_for(system_a)
        response = _password_login(client, person.email)
        assert response.status_code == 403, person
        page = response.content.decode()
        assert "Password sign-in is turned off" in page
        assert "Sign in with Acme ID" in page
        assert signed_in_as(client, system_a) is None
    owner = client_for(system_a)
    assert _password_login(owner, owner_a.email).status_code == 302
    assert signed_in_as(owner, system_a) == owner_a
    with in_schema(system_a):
        refusals = AuditEvent.objects.filter(action=AuditEvent.Action.SSO_REFUSED)
        assert sorted(event.target_label for event in refusals) == sorted(
            [agent_a.email, admin_a.email]
        )
        assert {event.detail["reason"] for event in refusals} == {"password_off"}


def test_the_sign_in_page_says_passwords_are_for_the_owner_only(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer, password_login_allowed=False)

    page = client_for(system_a).get("/accounts/login/").content.decode()

    assert "only the owner may still use a password" in page


def test_disconnecting_the_provider_lets_passwords_in_again(system_a, owner_a, agent_a, issuer):
    sso_connect(system_a, owner_a, issuer, password_login_allowed=False)
    with in_schema(system_a):
        services.sso_disconnect(actor=owner_a)
    client = client_for(system_a)

    assert _password_login(client, agent_a.email).status_code == 302
    assert signed_in_as(client, system_a) == agent_a


def test_passwords_cannot_be_turned_off_without_a_provider(system_a, owner_a):
    with in_schema(system_a), pytest.raises(ValidationError) as error:
        services.sso_policy_set(
            actor=owner_a, password_login_allowed=False, match_by_email=False, domain_join=False
        )
    assert "password_login_allowed" in error.value.message_dict
