"""No System ever serves another System's user, for every URL of the tenant URLconf.

For each pattern (enumerated at run time, so new URLs join automatically) and each
method, System B's user, holding B's session cookie, asks System A's host. The answer
must be exactly what an anonymous visitor gets (so B's cookie confers nothing at A), it
must never contain A's data, and an anonymous visitor only ever sees public pages, a
login redirect or a 404.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from accounts.services.seats import user_register
from tests.factories import PASSWORD, accept_current_terms
from tests.support.canary import seed_canary
from tests.support.tenancy import client_for, host_of, in_schema
from tests.support.urls import endpoints

TENANT_URLCONF = settings.ROOT_URLCONF
ENDPOINTS = endpoints(TENANT_URLCONF)

# Pages that anyone may see on a System's host without signing in. Everything else must
# answer an anonymous visitor with a login redirect, 404 or 405.
PUBLIC_PAGES = {
    "healthz",
    "terms",
    "terms_version",
    "terms_diff",
    "privacy",
    "privacy_version",
    "privacy_diff",
    "invitation_accept",  # by token only; the matrix never holds A's tokens
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_login_code_confirm",
    "account_request_login_code",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "account_logout",
    # allauth's single sign-on page after someone cancels at his provider: static text.
    "socialaccount_login_cancelled",
    "account_claim",  # anyone may claim an account; it reaches the operator, never the System
    "account_claim_confirm",  # by signed token only
    "mail_unsubscribe",  # by a token signed for this System only (tickets.mail)
    "satisfaction_link",  # by a token signed for this System only (tickets.satisfaction)
    # The help center's public articles, while the System lets visitors read them (the
    # default); internal and draft articles, and sections holding only those, answer 404.
    "kb_home",
    "kb_search",
    "kb_section",
    "kb_article",
    # The scripts' translated strings (Django's JavaScriptCatalog): the same for every
    # System and every visitor, no data in it; every page loads it, the sign-in page too.
    "javascript_catalog",
}


def _signature(response) -> tuple[int, str]:
    return response.status_code, response.headers.get("Location", "")


def _assert_no_leak(response, secrets: list[str]) -> None:
    body = response.content.decode(errors="replace")
    for secret in secrets:
        assert secret not in body, f"A's data {secret!r} leaked into the response"


def test_the_matrix_covers_the_tenant_urlconf():
    names = {endpoint.name for endpoint in ENDPOINTS}
    assert "dashboard" in names
    assert "account_login" in names
    assert len(ENDPOINTS) >= 20


def _with_csrf(client: Client) -> dict[str, str]:
    """Arm ``client`` with a valid CSRF cookie and the matching header, as a page of ours
    would: what is left to stop a foreign session is the session itself."""
    token = get_token(RequestFactory().get("/"))
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    return {"HTTP_X_CSRFTOKEN": token}


@pytest.mark.parametrize("index", range(len(ENDPOINTS)), ids=[e.name for e in ENDPOINTS])
@pytest.mark.parametrize("method", ["get", "post", "post-with-csrf"])
def test_system_b_user_gets_nothing_of_system_a(index, method, system_a, system_b, user_b):
    samples, secrets = seed_canary(system_a)
    endpoint = endpoints(TENANT_URLCONF, samples)[index]
    host_a = host_of(system_a)
    checked = method == "post-with-csrf"  # Django's checks on, as in production
    verb = "post" if checked else method

    visitor = Client(HTTP_HOST=host_a, enforce_csrf_checks=checked)
    headers = _with_csrf(visitor) if checked else {}
    anonymous = getattr(visitor, verb)(endpoint.path, **headers)
    intruder = client_for(system_b, user_b)  # B's session cookie...
    intruder.handler.enforce_csrf_checks = checked
    headers = _with_csrf(intruder) if checked else {}
    crossed = getattr(intruder, verb)(endpoint.path, HTTP_HOST=host_a, **headers)  # ...to A

    assert _signature(crossed) == _signature(anonymous), endpoint
    if checked:  # the token was accepted: the answer comes from the view, not the CSRF check
        assert b"CSRF verification failed" not in crossed.content, endpoint
    _assert_no_leak(crossed, secrets)
    _assert_no_leak(anonymous, secrets)
    status, location = _signature(anonymous)
    if status == 200 and endpoint.name not in PUBLIC_PAGES:
        pytest.fail(f"{endpoint.path} ({endpoint.name}) answers anonymous visitors with 200")
    if status in {301, 302}:
        assert location.startswith(("/accounts/login/", "/")), location


def test_a_system_b_login_does_not_work_at_system_a(system_a, system_b, user_b):
    client = Client(HTTP_HOST=host_of(system_a))

    response = client.post("/accounts/login/", {"login": user_b.email, "password": PASSWORD})

    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_the_same_email_in_two_systems_is_two_accounts(system_a, system_b):
    email = "shared.person@example.com"
    with in_schema(system_a):
        accept_current_terms(
            user_register(
                email=email, full_name="In Alpha", role="agent", password="password-for-alpha"
            )
        )
    with in_schema(system_b):
        accept_current_terms(
            user_register(
                email=email, full_name="In Bravo", role="agent", password="password-for-bravo"
            )
        )

    client = Client(HTTP_HOST=host_of(system_b))
    wrong = client.post("/accounts/login/", {"login": email, "password": "password-for-alpha"})
    assert wrong.status_code == 200
    right = client.post("/accounts/login/", {"login": email, "password": "password-for-bravo"})
    assert right.status_code == 302
    assert b"In Bravo" in client.get("/").content


def test_system_a_session_cookie_is_not_accepted_at_system_b(system_a, system_b, owner_a):
    client = client_for(system_a, owner_a)
    assert client.get("/").status_code == 200

    response = client.get("/", HTTP_HOST=host_of(system_b))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_public_site_session_is_not_a_system_session(system_a, operator):
    assert operator.get("/admin/").status_code == 200

    response = operator.get("/", HTTP_HOST=host_of(system_a))

    assert response.status_code == 302
