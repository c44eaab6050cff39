"""Without matching by email, a person links his provider identity himself, signed in: from
Your account → Linked accounts (allauth's connections page, after signing in again)."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from allauth.socialaccount.models import SocialAccount

from accounts.models import AuditEvent
from tests.factories import PASSWORD
from tests.sso.conftest import LOGIN_PATH, signed_in_as, sso_connect, sso_sign_in
from tests.sso.issuer import Identity
from tests.support.tenancy import client_for, in_schema

AGENT = Identity(sub="agent-9", email="agent.at.home@example.net")


def test_a_signed_in_person_links_his_identity_and_then_signs_in_with_it(
    system_a, owner_a, agent_a, issuer
):
    sso_connect(system_a, owner_a, issuer)
    client = client_for(system_a)
    client.post("/accounts/login/", {"login": agent_a.email, "password": PASSWORD})
    assert "Linked accounts" in client.get("/account/security/").content.decode()
    issuer.identity = AGENT

    started = client.post(LOGIN_PATH, {"process": "connect"})
    answer = requests.get(started["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(answer.headers["Location"])
    again = client.get(f"{back.path}?{back.query}")
    # Linking is a sensitive change: allauth asks for the password again, then links.
    assert again["Location"] == "/accounts/reauthenticate/", again
    linked = client.post(again["Location"], {"password": PASSWORD})

    assert linked.status_code == 302 and linked["Location"] == "/accounts/3rdparty/", linked
    with in_schema(system_a):
        assert SocialAccount.objects.get().user == agent_a
        assert AuditEvent.objects.filter(action=AuditEvent.Action.SSO_LINKED).count() == 1
    later = client_for(system_a)
    assert sso_sign_in(later, issuer, AGENT)["Location"] == "/"
    with in_schema(system_a):
        assert signed_in_as(later, system_a) == agent_a


def test_an_identity_linked_to_someone_else_is_not_taken_over(
    system_a, owner_a, agent_a, admin_a, issuer
):
    sso_connect(system_a, owner_a, issuer)
    with in_schema(system_a):
        SocialAccount.objects.create(user=admin_a, provider="sso", uid=AGENT.sub)
    client = client_for(system_a)
    client.post("/accounts/login/", {"login": agent_a.email, "password": PASSWORD})
    issuer.identity = AGENT

    started = client.post(LOGIN_PATH, {"process": "connect"})
    answer = requests.get(started["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(answer.headers["Location"])
    again = client.get(f"{back.path}?{back.query}")
    if again["Location"] == "/accounts/reauthenticate/":
        client.post(again["Location"], {"password": PASSWORD})

    with in_schema(system_a):
        assert SocialAccount.objects.get().user == admin_a
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.SSO_LINKED).exists()
