"""The API tokens pages: each person's own (every role), the System's (admins and the
owner); the secret shown once; revoke; CSRF; another System's person gets nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.apitokens.models import ApiToken, Scope
from accounts.apitokens.services import api_token_create
from tests.support.tenancy import client_for, host_of, in_schema


def _create(client, path: str, **fields):
    return client.post(path, {"name": "CRM sync", "scope": "read", "expires": "90", **fields})


@pytest.mark.parametrize("role", ["member_a", "agent_a", "admin_a", "owner_a"])
def test_everyone_makes_personal_tokens_and_sees_the_secret_once(system_a, role, request):
    person = request.getfixturevalue(role)
    client = client_for(system_a, person)
    empty = client.get("/account/api-tokens/")
    assert empty.status_code == 200
    assert "No tokens yet" in empty.content.decode()

    made = _create(client, "/account/api-tokens/")

    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    with in_schema(system_a):
        token = ApiToken.objects.get()
    page = made.content.decode()
    secret = page.split('id="token-secret" class="form-control font-monospace" value="')[1].split(
        '"'
    )[0]
    assert secret.startswith(token.prefix) and len(secret) > 40
    assert "it is not shown again" in page
    listed = client.get("/account/api-tokens/").content.decode()
    assert token.prefix in listed and secret not in listed
    assert (token.kind, token.user_id, token.scope) == (ApiToken.Kind.PERSONAL, person.pk, "read")


def test_the_admin_scope_is_offered_only_to_admins(system_a, agent_a, admin_a):
    agent_page = client_for(system_a, agent_a).get("/account/api-tokens/").content.decode()
    admin_page = client_for(system_a, admin_a).get("/account/api-tokens/").content.decode()

    assert 'value="admin"' not in agent_page and 'value="admin"' in admin_page
    refused = _create(client_for(system_a, agent_a), "/account/api-tokens/", scope="admin")
    assert refused.status_code == 400
    with in_schema(system_a):
        assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(system_a, agent_a):
    response = _create(client_for(system_a, agent_a), "/account/api-tokens/", name="  ")

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [("member_a", 403), ("agent_a", 403), ("admin_a", 200), ("owner_a", 200)]
)
def test_only_admins_and_the_owner_open_the_system_tokens_page(system_a, role, status, request):
    client = client_for(system_a, request.getfixturevalue(role))

    assert client.get("/settings/api-tokens/").status_code == status


def test_system_tokens_are_listed_for_every_admin_and_revoked_by_any(system_a, admin_a, owner_a):
    made = _create(client_for(system_a, admin_a), "/settings/api-tokens/", scope="admin")
    assert made.status_code == 200
    with in_schema(system_a):
        token = ApiToken.objects.get()
    assert token.kind == ApiToken.Kind.SYSTEM
    owner = client_for(system_a, owner_a)
    assert token.prefix in owner.get("/settings/api-tokens/").content.decode()

    response = owner.post(f"/settings/api-tokens/{token.pk}/revoke/", follow=True)

    assert "revoked" in response.content.decode()
    with in_schema(system_a):
        token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_anothers_personal_token(system_a, agent_a, admin_a):
    with in_schema(system_a):
        token = api_token_create(actor=agent_a, name="Mine", scope=Scope.READ).token

    response = client_for(system_a, admin_a).post(f"/account/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    with in_schema(system_a):
        token.refresh_from_db()
    assert token.revoked_at is None


def test_forms_need_the_csrf_token(system_a, agent_a):
    client = client_for(system_a, agent_a)
    client.handler.enforce_csrf_checks = True

    assert _create(client, "/account/api-tokens/").status_code == 403
    csrf = get_token(RequestFactory().get("/"))
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf
    assert _create(client, "/account/api-tokens/", csrfmiddlewaretoken=csrf).status_code == 200


def test_system_bs_person_gets_nothing_of_system_as_tokens(system_a, system_b, admin_a, user_b):
    with in_schema(system_a):
        token = api_token_create(
            actor=admin_a, name="A's", scope=Scope.READ, kind=ApiToken.Kind.SYSTEM
        ).token
    intruder = client_for(system_b, user_b)

    page = intruder.get("/settings/api-tokens/", HTTP_HOST=host_of(system_a))
    revoke = intruder.post(f"/settings/api-tokens/{token.pk}/revoke/", HTTP_HOST=host_of(system_a))

    assert page.status_code == 302 and revoke.status_code == 302  # to A's sign-in
    assert token.prefix not in page.content.decode()
    with in_schema(system_a):
        token.refresh_from_db()
    assert token.revoked_at is None


def test_the_settings_menu_offers_the_page_to_admins(system_a, admin_a):
    page = client_for(system_a, admin_a).get("/settings/api-tokens/").content.decode()

    assert 'href="/settings/api-tokens/"' in page
    assert 'aria-current="page"' in page


@pytest.mark.parametrize(
    "path, kind", [("/account/api-tokens/", "personal"), ("/settings/api-tokens/", "system")]
)
def test_the_token_pages_cost_the_same_for_one_token_or_twenty(system_a, admin_a, path, kind):
    client = client_for(system_a, admin_a)
    client.get(path)  # warm per-process caches (terms, navigation)
    counts = []
    for count in (1, 20):
        with in_schema(system_a):
            while ApiToken.objects.filter(kind=kind).count() < count:
                api_token_create(actor=admin_a, name=f"Script {count}", scope=Scope.READ, kind=kind)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        assert response.content.decode().count("Script ") >= count
        counts.append(len(queries))
    assert 3 < counts[0] == counts[1] <= 14, counts
