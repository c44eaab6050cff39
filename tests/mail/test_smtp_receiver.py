"""The SMTP receiver, run for real on a free port and spoken to with smtplib: it refuses
unknown recipients at RCPT TO and oversized messages with 552, answers 250 only once the
message is stored (byte for byte) in every System it is for, and 451 when it can't be.

The receiver stores from threads of its own, on their own database connections, so these
tests use committed Systems, made once for the module (a System costs seconds to make):
each test finds its own mail by its Message-ID. Tasks run eagerly unless a real worker runs.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import socket
from collections.abc import Iterator
from email.utils import make_msgid
from types import SimpleNamespace

import pytest
from django.db import OperationalError, connection

from accounts.models import User
from servicedesk.devmail.outbox import mail_get, mail_names
from tests.mail.support import message, support_of
from tests.support.tenancy import Committed, client_for, in_schema
from tests.support.worker import wait_until
from tickets.mail import addresses, receiver
from tickets.mail.models import InboundMessage, MailSettings, OutboundMessage, WhoMayWrite
from tickets.models import Ticket
from tickets.services.tickets import ticket_create

Status = InboundMessage.Status
MIA = "mia@smtp-one.example"


@pytest.fixture(scope="module")
def desks(django_db_setup, django_db_blocker) -> Iterator[SimpleNamespace]:
    """Two committed Systems: ``one`` (Mia is its member) and ``two``; anyone may write to
    both. Dropped when the module is done."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        helper = Committed()
        try:
            one = helper.system("smtp-one", member=MIA)
            two = helper.system("smtp-two")
            for system in (one, two):
                with in_schema(system):
                    MailSettings.objects.create(who_may_write=WhoMayWrite.ANYONE)
            yield SimpleNamespace(one=one, two=two)
        finally:
            helper.cleanup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(desks, committed) -> Iterator:
    """``smtp()``: start a receiver (with the settings as they are now) and return its port."""
    running = []

    def start() -> int:
        port = free_port()
        server = receiver.controller(host="127.0.0.1", port=port)
        server.start()
        running.append(server)
        return port

    yield start
    for server in running:
        server.stop()
        server.handler.close()


def crlf(raw: bytes) -> bytes:
    """Line ends as they travel over SMTP (a mail server sends nothing else)."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def mail(**kwargs) -> tuple[bytes, str]:
    """A message (CRLF line ends) and its Message-ID (without <>)."""
    message_id = make_msgid(domain="client.example")
    return crlf(message(message_id=message_id, **kwargs)), message_id.strip("<>")


def send(port: int, raw: bytes, *, to: list[str], sender: str = "", **options) -> dict:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        return client.sendmail(sender or "someone@client.example", to, raw, **options)


def stored(system, message_id: str) -> list[InboundMessage]:
    with in_schema(system):
        return list(InboundMessage.objects.filter(message_id=message_id).order_by("id"))


def test_mail_to_a_support_address_is_stored_and_becomes_a_ticket(smtp, desks):
    port = smtp()
    raw, message_id = mail(sender=MIA, to=support_of(desks.one), subject="Re: VPN is down")

    assert send(port, raw, to=[support_of(desks.one)], sender=MIA) == {}

    [row] = stored(desks.one, message_id)
    assert (row.via, row.envelope_from, row.envelope_to) == ("smtp", MIA, support_of(desks.one))
    assert row.status == Status.TICKET, row.reason
    with in_schema(desks.one):
        ticket = Ticket.objects.get(pk=row.ticket_id)
        assert ticket.subject == "VPN is down"
        assert ticket.requester == User.objects.get(email=MIA)
    assert stored(desks.two, message_id) == []


def test_an_unknown_recipient_is_refused_at_rcpt_to(smtp, desks):
    port = smtp()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo("client.example")
        client.mail("someone@client.example")
        for address in (
            "someone@elsewhere.example",
            addresses.support_address(slug="no-such-system"),
            f"billing@{addresses.mail_domain(slug=desks.one.slug)}",
        ):
            assert client.rcpt(address) == (550, b"5.1.1 No such mailbox here")
        assert client.rcpt(support_of(desks.one))[0] == 250
    raw, message_id = mail(sender="a@client.example", to="nobody@elsewhere.example")
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(port, raw, to=["nobody@elsewhere.example"])
    assert stored(desks.one, message_id) == stored(desks.two, message_id) == []


def test_more_than_a_hundred_recipients_hear_452_and_the_first_hundred_are_kept(smtp, desks):
    port = smtp()
    tokens = [
        addresses.ticket_reply_address(slug=desks.one.slug, number=number)
        for number in range(1, 102)
    ]
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo("client.example")
        client.mail("someone@client.example")
        codes = [client.rcpt(address)[0] for address in tokens]
    assert codes == [250] * 100 + [452]


def test_a_line_longer_than_rfc_5321_allows_is_still_taken(smtp, desks):
    port = smtp()
    raw = (
        f"From: {MIA}\r\nTo: {support_of(desks.one)}\r\nSubject: Long line\r\n"
        "Message-ID: <long-line@client.example>\r\nContent-Type: text/html\r\n\r\n"
        f"<p>{'word ' * 2000}</p>\r\n"
    ).encode()

    send(port, raw, to=[support_of(desks.one)], sender=MIA)

    [row] = stored(desks.one, "long-line@client.example")
    assert row.sha256 == hashlib.sha256(raw).hexdigest()
    assert row.status == Status.TICKET, row.reason


def test_a_message_over_the_size_limit_is_refused_with_552_and_nothing_is_kept(
    smtp, desks, settings
):
    settings.MAIL_MAX_MESSAGE_MB = 1
    port = smtp()
    raw, message_id = mail(
        sender="a@client.example",
        to=support_of(desks.one),
        attachments=(("big.bin", b"\x00" * 800_000, "application/octet-stream"),),
    )
    assert 1024 * 1024 < len(raw) < 1.5 * 1024 * 1024
    # A client that announces the size is refused before it sends the message...
    with pytest.raises(smtplib.SMTPSenderRefused) as announced:
        send(port, raw, to=[support_of(desks.one)])
    assert announced.value.smtp_code == 552
    # ...and one that doesn't, once it has.
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo("client.example")
        client.mail("a@client.example")
        client.rcpt(support_of(desks.one))
        assert client.data(raw)[0] == 552
    assert stored(desks.one, message_id) == []


def test_a_message_to_two_systems_is_stored_in_both_each_knowing_only_its_address(smtp, desks):
    port = smtp()
    to = [support_of(desks.one), support_of(desks.two)]
    raw, message_id = mail(sender="eve@client.example", to=", ".join(to))

    send(port, raw, to=to)

    for system in (desks.one, desks.two):
        [row] = stored(system, message_id)
        assert row.sha256 == hashlib.sha256(raw).hexdigest()
        assert row.envelope_to == support_of(system)
        assert row.status == Status.TICKET, row.reason


def test_log_lines_of_a_message_to_two_systems_each_name_one_system_at_most(smtp, desks, caplog):
    caplog.set_level(logging.INFO)
    port = smtp()
    to = [support_of(desks.one), support_of(desks.two)]
    raw, _ = mail(sender="eve@client.example", to=", ".join(to), subject="Log me")

    send(port, raw, to=to, sender="eve@client.example")

    lines = [record.getMessage() for record in caplog.records]
    assert any("SMTP: received message" in line for line in lines)
    for line in lines:
        assert not (desks.one.slug in line and desks.two.slug in line), line
        assert desks.one.schema_name not in line or desks.two.schema_name not in line, line
        assert "eve@client.example" not in line, line


def test_a_body_in_8bit_latin_1_is_stored_byte_for_byte(smtp, desks):
    port = smtp()
    raw = (
        b"From: =?iso-8859-1?q?Jos=E9?= <jose@client.example>\r\n"
        + f"To: {support_of(desks.one)}\r\n".encode()
        + b"Subject: Caf\xe9 cr\xe8me\r\n"
        b"Message-ID: <8bit-latin-1@client.example>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n"
        b"\r\n"
        b"Le caf\xe9 est froid, \xe7a ne va pas.\r\n"
        b".a line that starts with a dot\r\n"
        b"\r\n"
    )

    send(port, raw, to=[support_of(desks.one)], mail_options=["BODY=8BITMIME"])

    [row] = stored(desks.one, "8bit-latin-1@client.example")
    with in_schema(desks.one):
        kept = row.raw.read()
    assert hashlib.sha256(kept).hexdigest() == hashlib.sha256(raw).hexdigest() == row.sha256


def test_an_smtputf8_address_and_headers_are_accepted(smtp, desks):
    port = smtp()
    raw = (
        "From: Zoë Ñúñez <zoë@client.example>\r\n"
        f"To: {support_of(desks.one)}\r\n"
        "Subject: Ça marche ?\r\n"
        "Message-ID: <utf8@client.example>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        "Bonjour, ça marche.\r\n"
    ).encode()

    send(
        port,
        raw,
        to=[support_of(desks.one)],
        sender="zoë@client.example",
        mail_options=["SMTPUTF8", "BODY=8BITMIME"],
    )

    [row] = stored(desks.one, "utf8@client.example")
    assert row.envelope_from == "zoë@client.example"
    assert row.status == Status.TICKET, row.reason
    with in_schema(desks.one):
        assert Ticket.objects.get(pk=row.ticket_id).subject == "Ça marche ?"


@pytest.mark.parametrize(
    "error",
    [OperationalError("the database went away"), OSError("disk full"), RuntimeError("a bug")],
)
def test_a_failure_to_store_answers_451_so_the_sender_tries_again(smtp, desks, monkeypatch, error):
    port = smtp()

    def away(**kwargs):
        raise error

    monkeypatch.setattr(receiver, "inbound_deliver", away)
    raw, message_id = mail(sender="a@client.example", to=support_of(desks.one))
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(port, raw, to=[support_of(desks.one)])
    assert (refused.value.smtp_code, refused.value.smtp_error) == (451, b"4.3.0 Try again later")
    assert stored(desks.one, message_id) == []


def test_in_development_received_mail_shows_on_the_outbox_page_with_its_system(
    smtp, desks, settings, tmp_path
):
    settings.DEBUG = True
    settings.MAIL_OUTBOX_DIR = tmp_path / "mail"
    settings.PUBLIC_SCHEMA_URLCONF = "tests.support.urls_public_debug"
    port = smtp()
    to = [support_of(desks.one), support_of(desks.two)]
    raw, _ = mail(sender="eve@client.example", to=", ".join(to), subject="Hello desk")

    send(port, raw, to=to)

    copies = [mail_get(name=name) for name in mail_names()]
    assert sorted(copy.received_by for copy in copies if copy) == [
        "Smtp-One Desk (smtp-one)",
        "Smtp-Two Desk (smtp-two)",
    ]
    page = client_for(None).get("/dev/mail/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("Received") == 2 and "Smtp-One Desk (smtp-one)" in text
    assert text.count("Hello desk") == 2


# --- with a real Celery worker ----------------------------------------------------------


@pytest.mark.worker
def test_mail_over_smtp_becomes_a_ticket_in_a_real_worker_within_seconds(smtp, desks, worker):
    port = smtp()
    raw, message_id = mail(sender=MIA, to=support_of(desks.one), subject="Live one")

    send(port, raw, to=[support_of(desks.one)], sender=MIA)

    def ticket():
        with in_schema(desks.one):
            row = InboundMessage.objects.filter(message_id=message_id).first()
            return row.ticket if row is not None and row.ticket_id else None

    found = wait_until(ticket, seconds=10)
    assert found.subject == "Live one"
    with in_schema(desks.one):
        assert found.requester == User.objects.get(email=MIA)


@pytest.mark.worker
def test_a_reply_by_mail_to_a_notification_lands_on_the_right_ticket(smtp, desks, worker):
    with in_schema(desks.one):
        person = User.objects.get(email=MIA)
        other = ticket_create(actor=person, subject="Another one", description="Unrelated.")
        ticket = ticket_create(actor=person, subject="Printer jam", description="Error E42.")
        sent = OutboundMessage.objects.create(
            message_id=addresses.new_message_id(slug=desks.one.slug),
            ticket=ticket,
            to=person.email,
            kind="ticket_reply",
        )
    port = smtp()
    raw, message_id = mail(
        sender=MIA,
        to=support_of(desks.one),
        subject="Re: your ticket",
        body="It works again, thanks.\n",
        in_reply_to=sent.message_id,
    )

    send(port, raw, to=[support_of(desks.one)], sender=MIA)

    def reply():
        with in_schema(desks.one):
            row = InboundMessage.objects.filter(message_id=message_id).first()
            return row.reply if row is not None and row.reply_id else None

    found = wait_until(reply, seconds=10)
    assert found.ticket_id == ticket.pk != other.pk
    assert found.author_id == person.pk and found.via_mail
    assert "It works again" in found.body
