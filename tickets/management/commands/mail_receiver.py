"""Run the SMTP receiver (tickets/mail/receiver.py) until SIGTERM or Ctrl-C.

python manage.py mail_receiver [--host 0.0.0.0] [--port 2525]
"""

from __future__ import annotations

import signal
import threading

# The broker transport is imported on the first task sent (~0.7 s): now, not while the
# first sender waits for its answer.
import kombu.transport.redis  # noqa: F401
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tickets.mail.receiver import Receiver, controller


class Command(BaseCommand):
    help = "Receive mail for the Systems' support addresses over SMTP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.MAIL_RECEIVER_HOST)
        parser.add_argument("--port", type=int, default=settings.MAIL_RECEIVER_PORT)

    def handle(self, *args, host: str, port: int, **options) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        receiver = Receiver()
        running = controller(host=host, port=port, receiver=receiver)
        running.start()
        self.stdout.write(
            f"SMTP receiver on {host}:{port} for support@<slug>.{settings.INBOUND_MAIL_DOMAIN} "
            f"(messages up to {settings.MAIL_MAX_MESSAGE_MB} MB)",
        )
        stop.wait()
        self.stdout.write("SMTP receiver stopping: finishing the messages being stored")
        # New connections are refused, new commands hear "try again later", and a message
        # being stored still gets its answer before the loop stops.
        if running.server is not None:
            running.loop.call_soon_threadsafe(running.server.close)
        receiver.drain(seconds=20)
        running.stop()
        receiver.close()
