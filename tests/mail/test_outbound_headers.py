"""Ticket mail leaves threaded and answerable: our Message-ID (recorded first), the ticket's
thread in In-Reply-To/References, the ticket's signed reply address, From the System's
address in the actor's name, the headers that quiet auto-responders, one-click
unsubscribe, a reply-above marker, and text and HTML parts."""

from __future__ import annotations

import socket
import time
from email import message_from_bytes, policy
from email.utils import parseaddr

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from tests.mail.outbound_support import ids, only, parts, reply
from tests.support.tenancy import in_schema
from tickets.mail import addresses
from tickets.mail.models import OutboundMessage
from tickets.mail.outgoing import MARKER

pytestmark = pytest.mark.django_db


def test_a_reply_notification_carries_every_threading_and_loop_header(
    system_a, make_ticket, member_a, agent_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(member_a)
    created = only(agent_a.email)  # the thread's root: "new ticket" to staff
    mail.outbox.clear()

    first = reply(
        system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket, body="**On it**"
    )

    message = only(member_a.email)
    message_id = message["Message-ID"].strip("<>")
    with in_schema(system_a):
        row = OutboundMessage.objects.get(message_id=message_id)
    assert (row.ticket_id, row.reply_id, row.to, row.kind) == (
        ticket.pk,
        first.pk,
        member_a.email,
        "ticket_reply",
    )
    assert row.status == OutboundMessage.Status.SENT and row.sent_at is not None
    assert addresses.is_our_message_id(message_id)
    root = created["Message-ID"].strip("<>")
    assert ids(message["In-Reply-To"]) == [root]
    assert ids(message["References"]) == [root]

    reply_to = message["Reply-To"].addresses[0].addr_spec
    assert addresses.ticket_number_in(reply_to, slug=system_a.slug) == ticket.number
    name, address = parseaddr(str(message["From"]))
    assert name == f"Arno Agent via {system_a.name}"
    assert address == addresses.support_address(slug=system_a.slug)
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Auto-Response-Suppress"] == "All"
    unsubscribe = message["List-Unsubscribe"]
    assert (
        unsubscribe.startswith(f"<http://{system_a.slug}.") and "/mail/unsubscribe/" in unsubscribe
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"[#{ticket.number}]" in message["Subject"]

    text, html = parts(message)
    assert text.splitlines()[0] == MARKER
    assert MARKER in html and html.index(MARKER) < html.index("On it")
    assert "<strong>On it</strong>" in html

    # The next mail to him answers the last one he got, and keeps the root.
    mail.outbox.clear()
    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket, body="Done")
    second = only(member_a.email)
    assert ids(second["In-Reply-To"]) == [message_id]
    assert ids(second["References"]) == [root, message_id]
    assert second["Message-ID"] != message["Message-ID"]


def test_a_mail_without_an_actor_comes_from_the_system_by_its_name(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    from tests.mail.outbound_support import contact_ticket

    contact_ticket(system_a, django_capture_on_commit_callbacks)

    name, address = parseaddr(str(only(agent_a.email)["From"]))
    assert name == system_a.name
    assert address == addresses.support_address(slug=system_a.slug)


def test_references_stay_capped_on_a_long_ticket(
    system_a, make_ticket, member_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    for n in range(14):
        reply(
            system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket, body=f"{n}"
        )
    assert len(mail.outbox) == 14
    last = message_from_bytes(mail.outbox[-1].message().as_bytes(), policy=policy.default)
    references = ids(last["References"])
    assert 2 <= len(references) <= 10
    assert len(set(references)) == len(references)


class _Recorder:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_over_smtp_the_envelope_sender_is_the_systems_address(
    settings, system_a, make_ticket, member_a, agent_a, django_capture_on_commit_callbacks
):
    """Bounces then come back to the System's own address, where they are recorded."""
    ticket = make_ticket(member_a)
    recorder = _Recorder()
    port = _free_port()
    server = Controller(recorder, hostname="127.0.0.1", port=port)
    server.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
        deadline = time.monotonic() + 5
        while not recorder.envelopes and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.stop()
    [envelope] = recorder.envelopes
    assert envelope.mail_from == addresses.support_address(slug=system_a.slug)
    assert envelope.rcpt_tos == [member_a.email]
    received = message_from_bytes(envelope.original_content, policy=policy.default)
    assert parseaddr(str(received["From"]))[0] == f"Arno Agent via {system_a.name}"
    assert received["Message-ID"] and received["List-Unsubscribe-Post"]


def test_through_an_esp_the_headers_and_our_ids_go_along_and_its_id_is_kept(
    settings, system_a, make_ticket, member_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    settings.MAILERS = {"default": {"BACKEND": "anymail.backends.test.EmailBackend"}}

    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)

    [message] = [m for m in mail.outbox if m.to == [member_a.email]]
    params = message.anymail_test_params
    headers = params["extra_headers"]
    message_id = headers["Message-ID"].strip("<>")
    assert headers["Auto-Submitted"] == "auto-generated" and "In-Reply-To" not in headers
    assert params["from"].addr_spec == addresses.support_address(slug=system_a.slug)
    assert params["from"].display_name == f"Arno Agent via {system_a.name}"
    assert params["reply_to"][0].addr_spec.startswith("support+t")
    assert params["metadata"] == {"sd_system": str(system_a.pk), "sd_message_id": message_id}
    with in_schema(system_a):
        row = OutboundMessage.objects.get(message_id=message_id)
    assert row.status == OutboundMessage.Status.SENT
    assert row.provider_id == str(message.anymail_status.message_id)
