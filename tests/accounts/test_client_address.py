"""One reading of the caller's address, for allauth's throttles, our limits and the audit log."""

import pytest
from django.test import Client, RequestFactory, override_settings

from accounts.models import AuditEvent
from servicedesk.http import client_ip
from tests.factories import PASSWORD
from tests.support.tenancy import host_of, in_schema

PROXY = "10.0.0.2"


def _login(client, email, password, **headers):
    return client.post("/accounts/login/", {"login": email, "password": password}, **headers)


def _throttled(response) -> bool:
    return response.status_code in {200, 429} and "sign-in attempts" in response.content.decode()


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "192.0.2.1"),  # no proxy of ours: the header means nothing
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),  # the left one was forged
        (2, "203.0.113.66, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # fewer hops than proxies: all are ours
        (1, "not-an-address", "192.0.2.1"),
        (1, "", "192.0.2.1"),
    ],
)
def test_the_client_is_read_as_many_hops_from_the_end_as_we_have_proxies(
    count, forwarded, expected
):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip(request) == expected


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_eleven_failures_from_one_address_do_not_stop_another(system_a, agent_a):
    attacker = Client(HTTP_HOST=host_of(system_a), REMOTE_ADDR=PROXY)
    for attempt in range(11):
        _login(
            attacker,
            f"guess{attempt}@alpha.example",
            "wrong-password",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    assert _throttled(
        _login(attacker, agent_a.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    )

    colleague = Client(HTTP_HOST=host_of(system_a), REMOTE_ADDR=PROXY)
    response = _login(colleague, agent_a.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5")

    assert response.status_code == 302
    assert response["Location"] == "/"
    with in_schema(system_a):
        failure = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).first()
        login = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert failure.ip == "198.51.100.1"
    assert login.ip == "203.0.113.5"


def test_without_a_proxy_a_forged_header_changes_nothing(system_a, agent_a):
    client = Client(HTTP_HOST=host_of(system_a), REMOTE_ADDR="192.0.2.80")
    for attempt in range(11):
        _login(
            client,
            f"guess{attempt}@alpha.example",
            "wrong-password",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt + 1}",
        )

    response = _login(client, agent_a.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert _throttled(response)
    with in_schema(system_a):
        addresses = set(
            AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).values_list(
                "ip", flat=True
            )
        )
    assert addresses == {"192.0.2.80"}
