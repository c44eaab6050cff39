"""Host-header tricks and session fixation: a request names its System only by its own Host
header, never by a forwarded one, a port or userinfo trick, or a look-alike; and signing in
always starts a new session, so a session id planted before sign-in is worth nothing."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.factories import PASSWORD
from tests.support.tenancy import host_of, in_schema


@pytest.mark.parametrize(
    "host",
    [
        "alpha.localhost.evil.example",  # our name as a prefix of another domain
        "alpha.localhost@evil.example",  # userinfo
        "evil.example#alpha.localhost",
        "alpha.localhost:80:80",
        "alpha..localhost",
        "alpha.localhost\r\nX-Injected: 1",
        "",
    ],
)
def test_a_crafted_host_is_refused_or_reaches_no_system(host, system_a, owner_a):
    response = Client(HTTP_HOST=host).get("/accounts/login/")

    assert response.status_code in {400, 404}, host
    assert b"Alpha" not in response.content


def test_a_forwarded_host_does_not_pick_the_system(system_a, system_b):
    response = Client(HTTP_HOST=host_of(system_b), HTTP_X_FORWARDED_HOST=host_of(system_a)).get(
        "/accounts/login/"
    )

    assert response.status_code == 200
    assert response.wsgi_request.tenant == system_b


def test_signing_in_replaces_a_session_id_planted_before(system_a, owner_a):
    client = Client(HTTP_HOST=host_of(system_a))
    with in_schema(system_a):  # a session the System knows, as an attacker would plant it
        session = client.session
        session["planted"] = True
        session.save()
        planted = session.session_key
        assert Session.objects.filter(session_key=planted).exists()
    assert client.cookies["sessionid"].value == planted

    response = client.post("/accounts/login/", {"login": owner_a.email, "password": PASSWORD})

    assert response.status_code == 302
    signed_in = client.cookies["sessionid"].value
    assert signed_in != planted
    with in_schema(system_a):
        assert not Session.objects.filter(session_key=planted).exists()
    attacker = Client(HTTP_HOST=host_of(system_a))
    attacker.cookies["sessionid"] = planted
    assert attacker.get("/").status_code == 302  # still a visitor: sent to sign in


def test_signing_out_ends_the_session_on_the_server(system_a, owner_a):
    client = Client(HTTP_HOST=host_of(system_a))
    client.post("/accounts/login/", {"login": owner_a.email, "password": PASSWORD})
    stolen = client.cookies["sessionid"].value

    client.post("/accounts/logout/")

    thief = Client(HTTP_HOST=host_of(system_a))
    thief.cookies["sessionid"] = stolen
    assert thief.get("/").status_code == 302
