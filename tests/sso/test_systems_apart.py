"""Each System's provider is its own: B's configuration is neither shown nor used at A, and
a code and state from A's sign-in presented at B's callback sign nobody in at B."""

from __future__ import annotations

import copy

from allauth.socialaccount.models import SocialAccount, SocialApp
from django.test import Client

from accounts.models import User
from tests.sso.conftest import (
    CALLBACK_PATH,
    LOGIN_PATH,
    authorize_redirect,
    signed_in_as,
    sso_connect,
)
from tests.sso.issuer import Identity
from tests.support.tenancy import client_for, host_of, in_schema

AGENT = Identity(sub="agent-9", email="agent@alpha.example")


def test_a_code_and_state_of_system_a_are_refused_at_system_b(
    system_a, system_b, owner_a, agent_a, user_b, issuer
):
    sso_connect(system_a, owner_a, issuer, match_by_email=True)
    sso_connect(system_b, user_b, issuer, client_id="bravo-client", match_by_email=True)
    with in_schema(system_b):
        # B has a person with the same address: the one an accepted code would sign in.
        User.objects.create_user("agent@alpha.example", "x", full_name="B's twin")
    client = client_for(system_a)
    back_to_a = authorize_redirect(client, issuer, AGENT)
    assert back_to_a.startswith(CALLBACK_PATH + "?code=")

    # The same browser, with A's cookies (the attacker who copied them), at B's callback.
    intruder = Client(HTTP_HOST=host_of(system_b))
    intruder.cookies = copy.deepcopy(client.cookies)
    at_b = intruder.get(back_to_a)

    assert at_b.status_code in {400, 401, 403, 404}, at_b
    assert issuer.token_requests == []  # B never even redeemed the code
    with in_schema(system_b):
        assert not SocialAccount.objects.exists()
    assert intruder.get("/account/profile/").status_code == 302
    # The code is still A's, and A takes it.
    assert client.get(back_to_a).status_code == 302
    with in_schema(system_a):
        assert signed_in_as(client, system_a) == agent_a


def test_system_b_s_provider_is_neither_shown_nor_used_at_system_a(
    system_a, system_b, user_b, issuer
):
    sso_connect(system_b, user_b, issuer, client_id="bravo-client", name="Bravo ID")

    page = client_for(system_a).get("/accounts/login/").content.decode()
    started = client_for(system_a).post(LOGIN_PATH)

    assert "Bravo ID" not in page
    assert "Sign in with" not in page
    assert started.status_code == 404
    with in_schema(system_a):
        assert not SocialApp.objects.exists()


def test_each_system_signs_in_with_its_own_client(system_a, system_b, owner_a, user_b, issuer):
    sso_connect(system_a, owner_a, issuer, name="Alpha ID")
    sso_connect(system_b, user_b, issuer, client_id="bravo-client", name="Bravo ID")

    at_a = client_for(system_a).post(LOGIN_PATH)
    at_b = client_for(system_b).post(LOGIN_PATH)

    assert "client_id=alpha-client" in at_a["Location"]
    assert "client_id=bravo-client" in at_b["Location"]
    assert "Sign in with Alpha ID" in client_for(system_a).get("/accounts/login/").content.decode()


def test_the_public_site_offers_no_single_sign_on(system_a, owner_a, issuer, public_client):
    sso_connect(system_a, owner_a, issuer)

    page = public_client.get("/accounts/login/")

    assert page.status_code == 200
    assert "Sign in with" not in page.content.decode()
    assert public_client.post(LOGIN_PATH).status_code == 404
    assert public_client.get(CALLBACK_PATH + "?code=x&state=y").status_code == 404
