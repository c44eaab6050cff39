"""Fixtures of the API's tests: tokens made through the service, and clients that send
them (``Authorization: Bearer``) to a System's host."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.apitokens.models import ApiToken, Scope
from accounts.apitokens.services import api_token_create
from tests.support.tenancy import host_of, in_schema


@pytest.fixture
def token_for(system_a):
    """``token_for(user, scope="write", kind="personal", system=system_a)``: the secret of
    a new token of ``user``."""

    def make(user, scope=Scope.WRITE, kind=ApiToken.Kind.PERSONAL, system=None, **extra) -> str:
        with in_schema(system or system_a):
            return api_token_create(
                actor=user, name=f"{scope} token", scope=scope, kind=kind, **extra
            ).secret

    return make


def bearer_client(system, secret: str | None) -> Client:
    headers = {"HTTP_HOST": host_of(system)}
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return Client(**headers)


@pytest.fixture
def api_for(system_a, token_for):
    """``api_for(user, scope="write")``: a client of System A's API acting as ``user``."""

    def make(user, scope=Scope.WRITE, **extra) -> Client:
        return bearer_client(system_a, token_for(user, scope=scope, **extra))

    return make
