"""The SMTP receiver: mail for the Systems' support addresses, over SMTP (aiosmtpd).

It refuses at ``RCPT TO`` every address that is not a receiving System's, so a stranger's
mail server learns at once that the address does not exist and nothing is kept for it. It
answers ``250`` to the message only once the raw message is stored (committed) in every
System it is for: until then nothing is promised, and a sender that hears ``451`` (the
database is away) or nothing at all (the receiver died) keeps the message and tries again
later. A message delivered twice that way is stored once (intake's duplicate check).

The database is used from a small pool of threads, never from the event loop: one slow
query holds up one session, not every connection.

    python manage.py mail_receiver [--host 0.0.0.0] [--port 2525]
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections
from django_tenants.utils import get_public_schema_name, schema_context

from servicedesk.devmail.outbox import mail_save_received
from servicedesk.queue import task
from tenants.models import System
from tickets.mail.services.intake import PROCESS, Stored, inbound_deliver, system_for_address

log = logging.getLogger(__name__)

MAX_RECIPIENTS = 100
# Threads that talk to the database (one connection each).
DATABASE_THREADS = 8
IDENT = "Service Desk"

OK = "250 2.0.0 OK"
STORED = "250 2.0.0 Message accepted"
UNKNOWN = "550 5.1.1 No such mailbox here"
TOO_MANY = f"452 4.5.3 Too many recipients (at most {MAX_RECIPIENTS} per message)"
TRY_LATER = "451 4.3.0 Try again later"
NOBODY = "554 5.5.1 No valid recipients"


def _in_public[T](work: Callable[[], T]) -> T:
    """Run ``work`` on this thread's connection, in the public schema, dropping a connection
    that is too old or broken before and after (as Django does around a request)."""
    close_old_connections()
    try:
        with schema_context(get_public_schema_name()):
            return work()
    finally:
        close_old_connections()


class Receiver:
    """aiosmtpd's handler: RCPT and DATA hooks."""

    def __init__(self, *, threads: int = DATABASE_THREADS) -> None:
        # The task modules, imported now if they are not yet: servicedesk.queue imports them
        # on the first task queued, and two threads doing that at once find it missing.
        task(PROCESS)
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="smtp-db")
        self._busy = 0
        self._lock = threading.Lock()
        self.closing = False
        # Messages answered 250 (the benchmark reads it).
        self.accepted = 0

    async def _database[T](self, work: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, _in_public, work)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if self.closing:
            return TRY_LATER
        if address.lower() in (known.lower() for known in envelope.rcpt_tos):
            return OK
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return TOO_MANY
        try:
            system = await self._database(lambda: system_for_address(address))
        except Exception:
            # A 5xx would make the sender give up on the mail: anything unforeseen is
            # temporary, and the sender tries again.
            log.exception("SMTP: the recipient could not be checked")
            return TRY_LATER
        if system is None:
            return UNKNOWN
        envelope.rcpt_tos.append(address)
        return OK

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.closing:
            return TRY_LATER
        raw = envelope.original_content or b""
        recipients = list(envelope.rcpt_tos)
        sender = envelope.mail_from or ""
        with self._lock:
            self._busy += 1
        try:
            stored = await self._database(lambda: self._store(raw, recipients, sender))
        except Exception:
            # Nothing is promised: the sending server keeps the message and tries again
            # (the database or the disk away, or a bug: never a 5xx that loses the mail).
            log.exception("SMTP: a message could not be stored; the sender will retry")
            return TRY_LATER
        finally:
            with self._lock:
                self._busy -= 1
        if not stored:
            # Every recipient's System stopped receiving between RCPT and DATA.
            return NOBODY
        with self._lock:
            self.accepted += 1
        return STORED

    def _store(self, raw: bytes, recipients: list[str], sender: str) -> list[Stored]:
        stored = inbound_deliver(raw=raw, via="smtp", recipients=recipients, envelope_from=sender)
        for item in stored:
            # One line per System, in its schema: none names another System's mail.
            with schema_context(item.schema):
                log.info("SMTP: received message %s (%d bytes)", item.message_pk, len(raw))
        if settings.DEBUG and stored:
            _keep_for_development(raw, stored)
        return stored

    @property
    def busy(self) -> int:
        """Messages being stored now."""
        return self._busy

    def drain(self, *, seconds: float = 20) -> None:
        """Take no more messages, and wait (up to ``seconds``) for those being stored to be
        answered. One that outlasts it is never answered, so its sender sends it again."""
        self.closing = True
        deadline = time.monotonic() + seconds
        while self._busy and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)  # the loop writes the last answers

    def close(self) -> None:
        self.closing = True
        self.executor.shutdown(wait=True, cancel_futures=True)


def _keep_for_development(raw: bytes, stored: list[Stored]) -> None:
    """In development, a copy for the outbox page (/dev/mail/), marked with the System
    that received it: one copy per System, so each names only its own."""
    systems = {
        schema: f"{name} ({slug})"
        for schema, name, slug in System.objects.filter(
            schema_name__in=[item.schema for item in stored]
        ).values_list("schema_name", "name", "slug")
    }
    for item in stored:
        try:
            mail_save_received(raw=raw, received_by=systems.get(item.schema, item.schema))
        except OSError:
            log.warning("SMTP: no development copy of message %s", item.message_pk)


class MailServer(SMTP):
    # RFC 5321 allows 1,000 characters a line, but some mail programs write whole HTML
    # paragraphs on one line; refusing them would lose real mail. The message size limit
    # still bounds what a connection can hold.
    line_length_limit = 256 * 1024


class ReceiverController(Controller):
    def factory(self) -> SMTP:
        return MailServer(self.handler, **self.SMTP_kwargs)


def controller(
    *, host: str | None = None, port: int | None = None, receiver: Receiver | None = None
) -> Controller:
    """The receiver, ready to ``start()`` in a thread of its own (the management command
    and the tests both run it so)."""
    return ReceiverController(
        receiver or Receiver(),
        hostname=host or settings.MAIL_RECEIVER_HOST,
        port=port if port is not None else settings.MAIL_RECEIVER_PORT,
        server_hostname=settings.INBOUND_MAIL_DOMAIN,
        ident=IDENT,
        data_size_limit=settings.MAIL_MAX_MESSAGE_MB * 1024 * 1024,
        enable_SMTPUTF8=True,
        decode_data=False,
    )
