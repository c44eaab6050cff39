"""Events of a ticket raised, answered and solved through the services reach a receiver
started by the test, signed; the example verifier accepts them and refuses a tampered
body, a wrong secret and an old timestamp."""

from __future__ import annotations

import time

import time_machine

from tests.support.tenancy import in_schema
from tickets.models import Status
from tickets.services import tickets as ticket_services
from tickets.webhooks import signing
from tickets.webhooks.models import WebhookDelivery
from tickets.webhooks.verify_example import verify


def test_a_receiver_gets_signed_events_that_the_example_verifier_accepts(
    system_a, agent_a, member_a, endpoint_a, receiver, django_capture_on_commit_callbacks
):
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_services.ticket_create(
            actor=member_a, subject="VPN drops", description="Every hour.", tags=["vpn"]
        )
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        reply = ticket_services.ticket_reply(
            actor=agent_a, ticket=ticket, body="Try the new profile.", status=Status.SOLVED
        )

    assert receiver.types() == [
        "ticket.created",
        "ticket.replied",
        "ticket.updated",
        "ticket.solved",
    ]
    for request in receiver.received:
        assert verify(endpoint_a.secret, request.headers, request.body)
        assert request.headers["Content-Type"] == "application/json"
    created = receiver.received[0].event["data"]["ticket"]
    assert created["number"] == ticket.number and created["subject"] == "VPN drops"
    assert created["requester"] == {"email": "mia@alpha.example", "name": "Mia Member"}
    assert created["status"] == "new" and created["tags"] == []  # members set no tags
    assert created["url"].endswith(f"/tickets/{ticket.number}/")
    assert created["created_at"].endswith("Z")
    replied = receiver.received[1].event["data"]
    assert replied["reply"]["id"] == reply.pk
    assert replied["reply"]["body"] == "Try the new profile."
    assert replied["reply"]["author"]["email"] == "agent@alpha.example"
    solved = receiver.received[3].event["data"]
    assert solved["ticket"]["status"] == "solved" and "status" in solved["changes"]
    ids = {request.headers["Webhook-Id"] for request in receiver.received}
    assert len(ids) == 4  # one id per event
    with in_schema(system_a):
        assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"succeeded"}


def test_the_verifier_refuses_a_tampered_body_a_wrong_secret_and_an_old_timestamp(
    system_a, member_a, endpoint_a, receiver, django_capture_on_commit_callbacks
):
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_create(actor=member_a, subject="Printer", description="Jam.")
    (request,) = receiver.received
    assert verify(endpoint_a.secret, request.headers, request.body)

    tampered = request.body.replace(b"Printer", b"Pr1nter")
    assert not verify(endpoint_a.secret, request.headers, tampered)
    assert not verify(signing.secret_new(), request.headers, request.body)
    assert not verify(endpoint_a.secret, {**request.headers, "Webhook-Id": "other"}, request.body)
    # Measured from the signature's own time: a slow machine must not age it.
    signed_at = int(request.headers["Webhook-Timestamp"])
    with time_machine.travel(signed_at + 301, tick=False):
        assert not verify(endpoint_a.secret, request.headers, request.body)
    with time_machine.travel(signed_at + 299, tick=False):
        assert verify(endpoint_a.secret, request.headers, request.body)
    assert not verify(endpoint_a.secret, {}, request.body)


def test_the_example_verifier_imports_only_the_standard_library():
    import ast
    import sys
    from pathlib import Path

    import tickets.webhooks.verify_example as example

    tree = ast.parse(Path(example.__file__).read_text())
    modules = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert modules and modules <= set(sys.stdlib_module_names) | {"__future__"}


def test_the_readmes_verifier_agrees_with_the_example():
    import base64
    import hashlib
    import hmac
    import re
    import textwrap
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    found = re.search(r"```python\n(  def verify.*?)  ```", readme, re.S)
    assert found, "the README's Webhooks section shows verify()"
    scope = {"time": time, "base64": base64, "hashlib": hashlib, "hmac": hmac}
    exec(textwrap.dedent(found.group(1)), scope)  # noqa: S102 - our own README's code
    secret, body = signing.secret_new(), '{"type":"ping"}'
    headers = signing.headers([secret], event_id="e1", timestamp=int(time.time()), body=body)
    for args in [
        (secret, headers, body),
        (secret, headers, body + " "),
        (signing.secret_new(), headers, body),
    ]:
        assert scope["verify"](*args) == verify(*args)
    assert scope["verify"](secret, headers, body.encode())
