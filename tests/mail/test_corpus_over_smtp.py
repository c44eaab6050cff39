"""The acceptance run: the whole corpus goes through the real SMTP receiver into a real
Celery worker. Each message becomes the right ticket or reply, or is held, ignored,
recorded as a bounce, failed or a duplicate with its reason; none blocks the rest.

(test_corpus_outcomes.py checks the same outcomes one message at a time, in-process.)
"""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.db import connection

from accounts.models import User
from servicedesk.celery import app
from tests.mail.corpus import SAMPLES
from tests.mail.support import support_of
from tests.mail.test_corpus_outcomes import STATUS_OF
from tests.support.tenancy import Committed, in_schema
from tests.support.worker import Worker, eager_off, wait_until
from tickets.mail import addresses, receiver
from tickets.mail.models import InboundMessage, OutboundMessage
from tickets.models import Reply, Ticket
from tickets.services.tickets import ticket_create

PERSON = "anna@corpus-a.example"
OTHER_SYSTEMS_PERSON = "bob@corpus-b.example"
Status = InboundMessage.Status


@pytest.fixture(scope="module")
def desks(django_db_setup, django_db_blocker) -> Iterator[SimpleNamespace]:
    """System A (Anna is its member, with a ticket and mail of ours about it) and System B
    (Bob is its member: his address is a stranger's at A)."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        helper = Committed()
        try:
            a = helper.system("corpus-a", member=PERSON)
            b = helper.system("corpus-b", member=OTHER_SYSTEMS_PERSON)
            with in_schema(a):
                anna = User.objects.get(email=PERSON)
                ticket = ticket_create(actor=anna, subject="Printer jam", description="E42.")
                sent, bounced = (
                    OutboundMessage.objects.create(
                        message_id=addresses.new_message_id(slug=a.slug),
                        ticket=ticket,
                        to=to,
                        kind="ticket_created",
                    )
                    for to in (PERSON, "gone@nowhere.example")
                )
            values = {
                "support": support_of(a),
                "person": PERSON,
                "stranger": "someone@unknown-sender.example",
                "other_system_person": OTHER_SYSTEMS_PERSON,
                "ticket_message_id": sent.message_id,
                "ticket_number": str(ticket.number),
                "our_message_id": bounced.message_id,
            }
            yield SimpleNamespace(a=a, b=b, ticket=ticket, values=values)
        finally:
            helper.cleanup()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def corpus_worker(desks, committed, tmp_path_factory) -> Iterator[None]:
    """A worker of its own: the corpus holds more mail from one person than the per-sender
    limit lets through in an hour (test_a_sender_writing_faster_than_a_person_is_held), so
    this worker allows more."""
    queue = f"{app.conf.task_default_queue}-corpus"
    env = {"MAIL_PER_SENDER_PER_HOUR": "1000"}
    process = Worker(tmp_path_factory.mktemp("corpus-mail"), queue=queue, env=env).start()
    routes = app.conf.task_routes
    app.conf.update(
        task_routes={
            "tickets.mail.tasks.inbound_process": {"queue": queue},
            "servicedesk.tasks.send_email": {"queue": queue},
        }
    )
    try:
        with eager_off():
            yield
    finally:
        app.conf.update(task_routes=routes)
        process.stop()


@pytest.mark.worker
def test_the_corpus_over_smtp_into_a_real_worker_reaches_every_outcome(desks, corpus_worker):
    port = _free_port()
    server = receiver.controller(host="127.0.0.1", port=port)
    server.start()
    # Originals before their duplicates; everything else in the manifest's order.
    order = sorted(SAMPLES, key=lambda sample: bool(sample.duplicate_of))
    try:
        for sample in order:
            raw = sample.raw(desks.values)
            sender, to = sample.envelope(desks.values)
            with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
                refused = client.sendmail(sender, to, raw)
            assert refused == {}, sample.name
    finally:
        server.stop()
        server.handler.close()

    def all_read() -> list[InboundMessage] | None:
        with in_schema(desks.a):
            rows = list(InboundMessage.objects.order_by("id"))
        waiting = [row for row in rows if row.status == Status.RECEIVED]
        return rows if len(rows) >= len(SAMPLES) and not waiting else None

    rows = wait_until(all_read, seconds=240, every=0.5)
    # The receiver answers 250 only once a message is stored, and they were sent one after
    # another: the rows are in the order sent.
    assert len(rows) == len(order)
    wrong = {}
    with in_schema(desks.a):
        for sample, row in zip(order, rows, strict=True):
            assert row.envelope_from == sample.envelope(desks.values)[0], sample.name
            if row.status != STATUS_OF[sample.outcome]:
                wrong[sample.name] = f"{row.status}: {row.reason}"
            elif sample.outcome == "reply":
                assert Reply.objects.get(pk=row.reply_id).ticket_id == desks.ticket.pk
            elif sample.outcome == "ticket":
                assert Ticket.objects.filter(pk=row.ticket_id).exclude(pk=desks.ticket.pk)
            elif sample.outcome != "duplicate":
                assert row.reason and row.ticket_id is None, sample.name
        bounced = OutboundMessage.objects.get(message_id=desks.values["our_message_id"])
        assert bounced.status == OutboundMessage.Status.BOUNCED
    assert wrong == {}
    # Nothing reached System B: every message was addressed to A.
    with in_schema(desks.b):
        assert not InboundMessage.objects.exists()
        assert not Ticket.objects.exists()
