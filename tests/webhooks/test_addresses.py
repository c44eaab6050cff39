"""Deliveries never reach private, loopback, link-local or reserved addresses unless
WEBHOOKS_ALLOW_PRIVATE: literal addresses, and names through a resolver stub (DNS is the
outside world). The connection goes to the address that was checked, with the name kept in
the Host header."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from tests.support.tenancy import in_schema
from tickets.webhooks import network
from tickets.webhooks.models import WebhookAttempt, WebhookDelivery
from tickets.webhooks.services import deliveries, endpoints

REFUSED = [
    "127.0.0.1",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",  # the cloud's metadata service
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",  # noqa: S104 - an address under test, not one bound to
    "224.0.0.1",
    "240.0.0.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
]


@pytest.mark.parametrize("address", REFUSED)
def test_private_and_special_addresses_are_refused(address):
    assert network.address_refused(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert not network.address_refused(address)


@override_settings(WEBHOOKS_ALLOW_PRIVATE=False)
@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://10.1.2.3/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hooks",
        "https://[::ffff:10.0.0.1]/hooks",
    ],
)
def test_literal_private_urls_are_refused_before_any_connection(url, monkeypatch):
    monkeypatch.setattr(network.socket, "create_connection", _no_connection)
    with pytest.raises(network.Refused, match="not a public address"):
        network.destination(url)
    answer = network.post(url, body="{}", headers={})
    assert answer.status_code is None and "not a public address" in answer.error


def _no_connection(*args, **kwargs):
    raise AssertionError("connected")


@override_settings(WEBHOOKS_ALLOW_PRIVATE=False)
def test_a_name_resolving_to_any_private_address_is_refused(monkeypatch):
    answers = {
        "hooks.example.com": ["93.184.215.14"],
        "inside.example.com": ["10.0.0.7"],
        "mixed.example.com": ["93.184.215.14", "127.0.0.1"],
        "metadata.example.com": ["::ffff:169.254.169.254"],
    }
    monkeypatch.setattr(network, "resolve", lambda host, port: answers[host])
    assert network.destination("https://hooks.example.com/x?a=1") == (
        "https",
        "hooks.example.com",
        443,
        "/x?a=1",
        "93.184.215.14",
    )
    for host in ("inside.example.com", "mixed.example.com", "metadata.example.com"):
        with pytest.raises(network.Refused):
            network.destination(f"https://{host}/")
    with pytest.raises(network.Refused, match="https"):
        network.destination("http://hooks.example.com/")


def test_the_connection_goes_to_the_checked_address_with_the_name_in_the_host_header(
    receiver, monkeypatch
):
    """Resolved once: a second answer (a rebinding DNS server) is never asked for."""
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    lookups = []

    def resolve(host, port):
        lookups.append(host)
        return ["127.0.0.1"] if len(lookups) == 1 else ["10.9.9.9"]

    monkeypatch.setattr(network, "resolve", resolve)
    answer = network.post(f"http://receiver.test:{port}/in", body="{}", headers={"X-A": "1"})
    assert answer.status_code == 200 and lookups == ["receiver.test"]
    (request,) = receiver.received
    assert request.headers["Host"] == f"receiver.test:{port}" and request.path == "/in"


def test_redirects_are_not_followed(receiver):
    receiver.answers = [302]
    answer = network.post(receiver.url, body="{}", headers={})
    assert answer.status_code == 302 and len(receiver.received) == 1


@override_settings(WEBHOOKS_ALLOW_PRIVATE=False)
def test_the_form_refuses_plain_http_and_private_literals_and_a_delivery_records_the_refusal(
    system_a, admin_a, member_a, monkeypatch
):
    with in_schema(system_a):
        for url, message in [
            ("http://hooks.example.com/", "https://"),
            ("https://10.0.0.1/", "private address"),
            ("https://user:pw@hooks.example.com/", "user name and password"),
            ("hooks.example.com", "https://"),
        ]:
            with pytest.raises(ValidationError) as refused:
                endpoints.endpoint_create(
                    actor=admin_a, url=url, description="", events=["ticket.created"]
                )
            assert message in str(refused.value.message_dict["url"])

        monkeypatch.setattr(network, "resolve", lambda host, port: ["192.168.0.10"])
        endpoint = endpoints.endpoint_create(
            actor=admin_a,
            url="https://crm.example.com/in",
            description="",
            events=["ticket.created"],
        )
        delivery = endpoints.endpoint_ping(actor=admin_a, endpoint=endpoint)
        deliveries.delivery_attempt(delivery_id=delivery.pk)
        attempt = WebhookAttempt.objects.get(delivery=delivery)
        assert attempt.status_code is None and "192.168.0.10" in attempt.error
        assert WebhookDelivery.objects.get(pk=delivery.pk).state == "failed"


def _slow_server(script):
    """A TCP server on 127.0.0.1 that runs ``script(connection)`` for one client."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        connection, _address = listener.accept()
        with connection:
            connection.recv(65536)
            script(connection)

    threading.Thread(target=serve, daemon=True).start()
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}/"


@override_settings(WEBHOOKS_TIMEOUT_SECONDS=1)
def test_a_receiver_that_never_answers_times_out():
    import time

    listener, url = _slow_server(lambda connection: time.sleep(3))
    with listener:
        answer = network.post(url, body="{}", headers={})
    assert answer.status_code is None and answer.error == "No answer within 1 s."
    assert 900 <= answer.latency_ms < 2500


@override_settings(WEBHOOKS_TIMEOUT_SECONDS=1)
def test_a_receiver_that_drips_its_answer_is_cut_off():
    import time

    def drip(connection):
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 40:
            try:
                connection.send(bytes([byte]))
            except OSError:
                return
            time.sleep(0.2)  # each read well within the timeout

    listener, url = _slow_server(drip)
    with listener:
        answer = network.post(url, body="{}", headers={})
    assert answer.status_code is None and answer.error == "No complete answer within 2 s."
    assert 1900 <= answer.latency_ms < 4000
