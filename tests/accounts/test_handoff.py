"""The hand-over into a new System signs in only the browser that confirmed it."""

import pytest
from django.test import Client

from accounts.services.handoff import handoff_create
from tests.support.tenancy import host_of, in_schema

OURS = "http://localhost"


@pytest.fixture
def token(system_a, owner_a) -> str:
    with in_schema(system_a):
        return handoff_create(user=owner_a)


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_opening_the_welcome_address_signs_nobody_in(system_a, token):
    client = Client(HTTP_HOST=host_of(system_a))

    response = client.get("/welcome/", {"token": token})

    assert response["Location"] == "/accounts/login/"
    assert not _signed_in(client)


@pytest.mark.parametrize(
    "origin", [None, "null", "https://evil.example", "http://localhost.evil.example"]
)
def test_a_hand_over_posted_from_elsewhere_signs_nobody_in(system_a, token, origin):
    client = Client(HTTP_HOST=host_of(system_a))
    headers = {"HTTP_ORIGIN": origin} if origin else {}

    client.post("/welcome/", {"token": token}, **headers)

    assert not _signed_in(client)
    # ...and the token still works for the browser that holds the page.
    rightful = Client(HTTP_HOST=host_of(system_a))
    rightful.post("/welcome/", {"token": token}, HTTP_ORIGIN=OURS)
    assert _signed_in(rightful)
