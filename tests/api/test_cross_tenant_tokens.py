"""Every API route, every method: System B's token at System A's host confers nothing (the
answer is an anonymous caller's) and never carries A's data. The cookie matrix
(tests/test_cross_tenant_matrix.py) enumerates these routes too, with B's session."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from accounts.apitokens.models import ApiToken, Scope
from tests.api.conftest import bearer_client
from tests.support.canary import seed_canary
from tests.support.tenancy import host_of
from tests.support.urls import endpoints

TENANT_URLCONF = settings.ROOT_URLCONF
API = [e for e in endpoints(TENANT_URLCONF) if e.path.startswith("/api/")]


def test_the_api_routes_are_enumerated():
    names = {e.name for e in API}
    assert {"ticket_list", "ticket_read", "ticket_merge", "openapi-json"} <= names


@pytest.mark.parametrize("index", range(len(API)), ids=[e.path for e in API])
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_system_bs_token_gets_nothing_of_system_a(
    index, method, system_a, system_b, user_b, token_for
):
    samples, secrets = seed_canary(system_a)
    path = [e for e in endpoints(TENANT_URLCONF, samples) if e.path.startswith("/api/")][index].path
    b_secret = token_for(user_b, scope=Scope.ADMIN, kind=ApiToken.Kind.SYSTEM, system=system_b)
    assert bearer_client(system_b, b_secret).get("/api/v1/tickets").status_code == 200

    anonymous = getattr(Client(HTTP_HOST=host_of(system_a)), method)(path)
    crossed = getattr(bearer_client(system_a, b_secret), method)(path)

    assert crossed.status_code == anonymous.status_code, path
    assert crossed.status_code in {302, 401, 404, 405}, (path, crossed.status_code)
    for response in (anonymous, crossed):
        body = response.content.decode(errors="replace")
        for secret in secrets:
            assert secret not in body, f"A's data {secret!r} leaked at {path}"
