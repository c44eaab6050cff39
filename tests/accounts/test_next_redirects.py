"""`next=` is followed only to a path of the host that asked for it."""

from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from servicedesk.http import local_path
from tests.factories import PASSWORD
from tests.support.tenancy import host_of


@pytest.mark.parametrize(
    "target",
    [
        "http://bravo.localhost/",
        "http://bravo.localhost:8000/tickets/",
        "//bravo.localhost/",
        "/\\bravo.localhost/",
        "https://evil.example/",
        "javascript:alert(1)",
        "/tickets/\r\nSet-Cookie: a=b",
        "tickets/",
    ],
)
def test_a_login_never_lands_anywhere_but_on_a_path_of_its_own_system(target, system_a, agent_a):
    client = Client(HTTP_HOST=host_of(system_a))

    response = client.post(
        f"/accounts/login/?{urlencode({'next': target})}",
        {"login": agent_a.email, "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_login_follows_a_path_of_its_own_system(system_a, agent_a):
    client = Client(HTTP_HOST=host_of(system_a))

    response = client.post(
        "/accounts/login/?next=/tickets/%3Fstatus%3Dopen",
        {"login": agent_a.email, "password": PASSWORD},
    )

    assert response["Location"] == "/tickets/?status=open"


def _after_idle(client: Client, path: str):
    with time_machine.travel(timezone.now() + timedelta(minutes=45), tick=False):
        return client.get(path)


def _login(system, user) -> Client:
    system.idle_timeout_minutes = 30
    system.save(update_fields=["idle_timeout_minutes"])
    client = Client(HTTP_HOST=host_of(system))
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.get("/").status_code == 200
    return client


def test_the_idle_timeout_carries_exactly_one_next_and_it_is_the_whole_path(system_a, agent_a):
    client = _login(system_a, agent_a)

    response = _after_idle(client, "/tickets/%26next=https://evil.example/?page=2")

    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert list(query) == ["next"] and len(query["next"]) == 1
    (target,) = query["next"]
    assert target.startswith("/tickets/&next") and target.endswith("?page=2")
    assert local_path(target) == target


def test_the_idle_timeout_survives_a_line_break_in_the_path(system_a, agent_a):
    client = _login(system_a, agent_a)

    response = _after_idle(client, "/tickets/%0d%0aSet-Cookie:%20x=y")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert (
        "\n" not in response["Location"]
        and "Set-Cookie" not in response.headers.get("Set-Cookie", "").split("=")[0]
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/tickets/?page=2", "/tickets/?page=2"),
        ("/", "/"),
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("http://alpha.localhost/", None),
        ("/a\x00b", None),
        ("/a\tb", None),
        ("", None),
        (None, None),
    ],
)
def test_local_path_accepts_only_paths(url, expected):
    assert local_path(url) == expected
