"""Every URL that takes a POST refuses one without a CSRF token, on a System's host (as a
signed-in owner, who may do the most) and on the public host (as the operator). The URLs
are enumerated at run time, so a new one joins by itself; a view that opts out of Django's
check must be listed below with what protects it instead."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve

from tests.support.canary import seed_canary
from tests.support.tenancy import client_for, in_schema
from tests.support.urls import endpoints

# View names that take posts without Django's token, and why that is safe.
EXEMPT = {
    # RFC 8058 one-click unsubscribe: mail clients post without a page; the link's token,
    # signed for this System and address, is the proof.
    "mail_unsubscribe": "signed token in the URL",
    # The hand-over from the public site or another System: checks the Origin header
    # against our own hosts and consumes a single-use token from the body.
    "login_handoff": "Origin check and single-use token",
}
CSRF_FAILED = b"CSRF verification failed"


def _exempt(urlconf: str, path: str) -> bool:
    return getattr(resolve(path, urlconf=urlconf).func, "csrf_exempt", False)


def _refuses(client: Client, path: str, **extra) -> tuple[bool, int]:
    response = client.post(path, {"anything": "x"}, **extra)
    return response.status_code == 403 and CSRF_FAILED in response.content, response.status_code


def test_every_system_url_refuses_a_post_without_a_csrf_token(system_a, owner_a):
    samples, _secrets = seed_canary(system_a)
    client = client_for(system_a, owner_a)
    client.handler.enforce_csrf_checks = True
    accepted, exempt, api = [], set(), set()
    with in_schema(system_a):
        found = endpoints(settings.ROOT_URLCONF, samples)
    for endpoint in found:
        if _exempt(settings.ROOT_URLCONF, endpoint.path):
            # The REST API reads no cookie, only a bearer token: nothing for CSRF to ride on
            # (tests/api: a signed-in browser without a token gets 401).
            (api if endpoint.path.startswith("/api/v1/") else exempt).add(endpoint.name)
            continue
        refused, status = _refuses(client, endpoint.path)
        if not refused:
            accepted.append(f"{endpoint.path} ({endpoint.name}): {status}")

    assert not accepted, accepted
    assert len(found) > 100
    unexplained = exempt - set(EXEMPT) - api
    assert api, "the REST API's routes are enumerated"
    assert not unexplained, f"csrf_exempt without a reason in EXEMPT: {sorted(unexplained)}"


def test_every_public_url_refuses_a_post_without_a_csrf_token(operator):
    operator.handler.enforce_csrf_checks = True
    accepted = []
    found = endpoints(settings.PUBLIC_SCHEMA_URLCONF, {"app_label": "tenants"})
    for endpoint in found:
        if _exempt(settings.PUBLIC_SCHEMA_URLCONF, endpoint.path):
            continue
        refused, status = _refuses(operator, endpoint.path)
        if not refused:
            accepted.append(f"{endpoint.path} ({endpoint.name}): {status}")

    assert not accepted, accepted
    assert len(found) > 50


@pytest.mark.parametrize("name", sorted(EXEMPT))
def test_each_exempt_view_is_still_routed(name, system_a):
    """An entry here for a view that no longer exists (or lost its exemption) is stale."""
    with in_schema(system_a):
        found = {e.name: e.path for e in endpoints(settings.ROOT_URLCONF, {})}
    assert name in found
    assert _exempt(settings.ROOT_URLCONF, found[name])
