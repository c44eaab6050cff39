"""Mail providers post inbound mail to anymail's webhooks on the public host, behind basic
auth: each message goes to the Systems it is addressed to, like mail from the SMTP receiver;
mail for nobody here is dropped, and no System's host answers these URLs."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import override_settings

from tests.mail.support import message, support_of
from tests.support.tenancy import client_for, in_schema
from tickets.mail.models import InboundMessage
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
URL = "/mail/anymail/postmark/inbound/"
SECRET = "hook:s3cret-Δ"
WEBHOOKS_ON = override_settings(ANYMAIL={"WEBHOOK_SECRET": [SECRET]})


def _auth(secret: str = SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def _postmark(raw: bytes, *, recipient: str | None, sender: str = "bounce@client.example"):
    """Postmark's inbound JSON, the raw message included ("Include raw email content")."""
    payload = {
        "FromFull": {"Email": "x@client.example", "Name": ""},
        "Headers": [{"Name": "Return-Path", "Value": f"<{sender}>"}],
        "RawEmail": raw.decode(),
        "MessageID": "22c74902-a0c1-4511-804f-341342852c90",
    }
    if recipient:
        payload["OriginalRecipient"] = recipient
    return json.dumps(payload)


def _post(client, body: str, **extra):
    return client.post(URL, body, content_type="application/json", **extra)


@WEBHOOKS_ON
def test_a_post_without_the_right_credentials_is_challenged_and_stores_nothing(
    system_a, member_a, public_client
):
    body = _postmark(message(sender=member_a.email, to=support_of(system_a)), recipient=None)
    for extra in ({}, _auth("hook:wrong")):
        response = _post(public_client, body, **extra)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic ")
    with in_schema(system_a):
        assert not InboundMessage.objects.exists()


@WEBHOOKS_ON
def test_a_posted_message_becomes_a_ticket_of_the_system_it_is_addressed_to(
    system_a, member_a, public_client, django_capture_on_commit_callbacks
):
    raw = message(
        sender=member_a.email,
        to="help@company.example",
        subject="Printer in café",
        body="Ça brûle.\n",
    )
    body = _postmark(raw, recipient=support_of(system_a), sender="bounces@client.example")
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(public_client, body, **_auth()).status_code == 200
    with in_schema(system_a):
        row = InboundMessage.objects.get()
        assert (row.via, row.envelope_from, row.envelope_to) == (
            "webhook",
            "bounces@client.example",
            support_of(system_a),
        )
        ticket = Ticket.objects.get()
        assert ticket.subject == "Printer in café"
        assert "Ça brûle." in ticket.description


@WEBHOOKS_ON
def test_without_an_envelope_recipient_the_to_and_cc_addresses_decide(
    system_a, system_b, public_client, django_capture_on_commit_callbacks
):
    raw = message(sender="eve@client.example", to=f"{support_of(system_a)}, {support_of(system_b)}")
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(public_client, _postmark(raw, recipient=None), **_auth()).status_code == 200
    for system in (system_a, system_b):
        with in_schema(system):
            assert InboundMessage.objects.get().envelope_to == support_of(system)


@WEBHOOKS_ON
def test_mail_for_no_system_is_answered_but_dropped(
    system_a, system_b, public_client, django_capture_on_commit_callbacks
):
    raw = message(sender="eve@client.example", to="support@nobody.example")
    body = _postmark(raw, recipient="support@gone.mail.example")
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(public_client, body, **_auth()).status_code == 200
    for system in (system_a, system_b):
        with in_schema(system):
            assert not InboundMessage.objects.exists()


@WEBHOOKS_ON
def test_no_system_host_answers_the_webhooks(system_a, member_a):
    body = _postmark(message(sender=member_a.email, to=support_of(system_a)), recipient=None)
    assert _post(client_for(system_a), body, **_auth()).status_code == 404
    with in_schema(system_a):
        assert not InboundMessage.objects.exists()


@override_settings(ANYMAIL={"WEBHOOK_SECRET": []})
def test_without_a_secret_configured_the_webhooks_are_off(system_a, member_a, public_client):
    body = _postmark(message(sender=member_a.email, to=support_of(system_a)), recipient=None)
    assert _post(public_client, body).status_code == 404
    with in_schema(system_a):
        assert not InboundMessage.objects.exists()
