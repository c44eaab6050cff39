"""A webhook receiver started by the test: an HTTP server on 127.0.0.1 in a thread that
records every request and answers with the status codes it is given, in turn."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.tenancy import in_schema
from tickets.webhooks.services import endpoints


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    # Status codes to answer with, in turn; then 200 for ever.
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    def types(self) -> list[str]:
        return [request.event["type"] for request in self.received]


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    lock = threading.Lock()
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"x" * 5000)  # more than is kept

        def log_message(self, *args) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    return receiver, server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found, server = start_receiver()
    yield found
    server.shutdown()
    server.server_close()


ALL_EVENTS = [
    "ticket.created",
    "ticket.updated",
    "ticket.replied",
    "ticket.solved",
    "ticket.sla_breached",
    "person.joined",
    "person.left",
]


@pytest.fixture
def endpoint_a(system_a, admin_a, receiver):
    """An endpoint of System A at the receiver, for every event."""
    with in_schema(system_a):
        return endpoints.endpoint_create(
            actor=admin_a, url=receiver.url, description="CRM", events=ALL_EVENTS
        )
