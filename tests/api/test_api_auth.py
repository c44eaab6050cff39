"""Who gets in: a live token of this System only; never a session cookie, never another
System's token; and the pages' gates (System status, terms, second factor) for a token."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.utils import timezone

from legal import selectors as legal_selectors
from legal.models import TermsVersion
from tenants.models import System
from tests.api.conftest import bearer_client
from tests.support.tenancy import CANARY_A, client_for, host_of


def _problem(response, status: int, slug: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["instance"] == response.request["PATH_INFO"] + (
        f"?{response.request['QUERY_STRING']}" if response.request.get("QUERY_STRING") else ""
    )
    if slug is not None:
        assert body["type"] == f"urn:servicedesk:problem:{slug}"
    return body


def test_without_a_token_the_answer_is_401_with_a_bearer_challenge(system_a):
    response = bearer_client(system_a, None).get("/api/v1/tickets")

    _problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_unknown_token_is_401_invalid_token(system_a):
    response = bearer_client(system_a, "sdt_not-a-token").get("/api/v1/tickets")

    _problem(response, 401, "unauthenticated")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_signed_in_browser_session_without_a_token_gets_401(system_a, agent_a, make_ticket):
    make_ticket(agent_a, subject=f"Session {CANARY_A}")
    browser = client_for(system_a, agent_a)
    assert browser.get("/tickets/").status_code == 200  # the session works on pages

    for method in ("get", "post"):
        response = getattr(browser, method)("/api/v1/tickets")
        _problem(response, 401)
        assert CANARY_A not in response.content.decode()


def test_a_token_of_system_a_is_unknown_at_system_b(
    system_a, system_b, agent_a, user_b, make_ticket, token_for
):
    make_ticket(agent_a, subject=f"Secret {CANARY_A}")
    secret = token_for(agent_a)
    assert bearer_client(system_a, secret).get("/api/v1/tickets").status_code == 200

    at_b = bearer_client(system_b, secret)
    for path in ("/api/v1/tickets", "/api/v1/tickets/1"):
        response = at_b.get(path)
        _problem(response, 401)
        assert CANARY_A not in response.content.decode()


def test_the_public_host_has_no_api(db, system_a, agent_a, token_for):
    secret = token_for(agent_a)
    public = Client(HTTP_HOST=settings.BASE_DOMAIN, HTTP_AUTHORIZATION=f"Bearer {secret}")

    for path in ("/api/v1/tickets", "/api/v1/openapi.json", "/api/v1/docs"):
        assert public.get(path).status_code == 404


def test_a_suspended_system_answers_a_problem_not_a_page(system_a, owner_a, token_for):
    client = bearer_client(system_a, token_for(owner_a))
    System.objects.filter(pk=system_a.pk).update(status=System.Status.SUSPENDED)

    _problem(client.get("/api/v1/tickets"), 403, "system-unavailable")


def test_new_terms_not_yet_accepted_are_a_403_until_accepted_in_the_ui(
    system_a, agent_a, token_for
):
    client = bearer_client(system_a, token_for(agent_a))
    assert client.get("/api/v1/tickets").status_code == 200
    TermsVersion.objects.create(
        version="9.0",
        effective_at=timezone.now(),  # after every version the test database holds
        summary="New terms.",
        body="# Terms\n",
    )
    legal_selectors.versions_forget()

    body = _problem(client.get("/api/v1/tickets"), 403, "terms-not-accepted")
    assert "accept the terms" in body["detail"]


def test_a_required_second_factor_is_a_403_for_a_person_without_one(system_a, agent_a, token_for):
    client = bearer_client(system_a, token_for(agent_a))
    System.objects.filter(pk=system_a.pk).update(require_second_factor=True)

    _problem(client.get("/api/v1/tickets"), 403, "second-factor-required")


def test_the_api_never_sets_or_needs_a_csrf_cookie(system_a, agent_a, token_for):
    client = Client(
        HTTP_HOST=host_of(system_a),
        HTTP_AUTHORIZATION=f"Bearer {token_for(agent_a)}",
        enforce_csrf_checks=True,
    )

    response = client.post(
        "/api/v1/tickets",
        {"subject": "From a script", "description": "No cookie."},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert settings.SESSION_COOKIE_NAME not in response.cookies
