"""Ten clients read one ticket, then all PATCH it at the same moment with the ETag they
read: exactly one change is written, the nine others get 412 and write nothing.

Real PostgreSQL, a real threaded HTTP server, ten real connections."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

from accounts.apitokens.models import Scope
from accounts.apitokens.services import api_token_create
from accounts.models import Role, User
from tests.support.tenancy import host_of, in_schema
from tickets.models import Ticket, TicketEvent
from tickets.services.tickets import ticket_create


def _call(port: int, host: str, secret: str, method: str, path: str, body=None, **headers):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={
            "Host": host,
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/json",
            **headers,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_ten_concurrent_patches_of_one_version_write_exactly_one(live):
    server, committed = live
    system = committed.system("race", owner="owner@race.example")
    with in_schema(system):
        owner = User.objects.get(role=Role.OWNER)
        ticket = ticket_create(actor=owner, subject="Contended", description="x")
        secret = api_token_create(actor=owner, name="race", scope=Scope.WRITE).secret
    host = host_of(system)
    path = f"/api/v1/tickets/{ticket.number}"
    status, headers = _call(server.port, host, secret, "GET", path)
    assert status == 200
    etag = headers["ETag"]

    priorities = ["low", "high", "urgent", "low", "high", "urgent", "low", "high", "urgent", "low"]
    start = threading.Barrier(len(priorities))
    outcomes: list[int] = []
    lock = threading.Lock()

    def patch(priority: str) -> None:
        start.wait()
        code, _headers = _call(
            server.port, host, secret, "PATCH", path, {"priority": priority}, **{"If-Match": etag}
        )
        with lock:
            outcomes.append(code)

    threads = [threading.Thread(target=patch, args=(p,)) for p in priorities]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == [200] + [412] * 9, outcomes
    with in_schema(system):
        changes = list(
            TicketEvent.objects.filter(ticket_id=ticket.pk, field="priority").values_list(
                "new_value", flat=True
            )
        )
        assert len(changes) == 1
        assert Ticket.objects.get(pk=ticket.pk).priority == changes[0]
