"""Single sign-on against a provider started by the test (tests/sso/issuer.py)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client

from accounts.models import User
from accounts.sso import services
from tenants.models import System
from tests.sso.issuer import Identity, Issuer
from tests.support.tenancy import in_schema

LOGIN_PATH = "/accounts/oidc/sso/login/"
CALLBACK_PATH = "/accounts/oidc/sso/login/callback/"
CLIENTS = {"alpha-client": "alpha-secret", "bravo-client": "bravo-secret"}


@pytest.fixture(autouse=True)
def _local_issuers(settings):
    settings.SSO_ALLOW_LOCAL_ISSUERS = True


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    provider = Issuer(clients=dict(CLIENTS)).start()
    yield provider
    provider.stop()


def sso_connect(
    system: System,
    actor: User,
    issuer: Issuer,
    *,
    client_id: str = "alpha-client",
    name: str = "Acme ID",
    **policy: bool,
) -> None:
    """Connect ``issuer`` to ``system`` as its admins would, then set ``policy``."""
    with in_schema(system):
        services.sso_connect(
            actor=actor,
            name=name,
            issuer=issuer.base,
            client_id=client_id,
            client_secret=CLIENTS[client_id],
        )
        if policy:
            current = {
                "password_login_allowed": True,
                "match_by_email": False,
                "domain_join": False,
                **policy,
            }
            services.sso_policy_set(actor=actor, **current)


@pytest.fixture
def connected_a(system_a, owner_a, issuer) -> Issuer:
    sso_connect(system_a, owner_a, issuer)
    return issuer


def authorize_redirect(client: Client, issuer: Issuer, identity: Identity) -> str:
    """Press "Sign in with …" and sign in at the provider as ``identity``: the provider's
    redirect back (our callback's path and query)."""
    issuer.identity = identity
    started = client.post(LOGIN_PATH)
    assert started.status_code == 302, started
    assert started["Location"].startswith(issuer.base + "/authorize?")
    answer = requests.get(started["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def sso_sign_in(client: Client, issuer: Issuer, identity: Identity):
    """The whole round trip: our login, the provider, our callback (its response)."""
    return client.get(authorize_redirect(client, issuer, identity))


def join(client: Client, response, full_name: str = "Sam Single"):
    """After a first sign-in: the join form, filled and sent."""
    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/signup/"
    page = client.get(response["Location"])
    assert page.status_code == 200, page
    return client.post(
        response["Location"],
        {"full_name": full_name, "accept_terms": "on"},
        HTTP_USER_AGENT="SamBrowser/2.0",
        REMOTE_ADDR="203.0.113.7",
    )


def signed_in_as(client: Client, system: System) -> User | None:
    response = client.get("/account/profile/")
    if response.status_code != 200:
        return None
    user = response.wsgi_request.user
    return user if user.is_authenticated else None
