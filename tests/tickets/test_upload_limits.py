"""Uploads over the storage quota or the per-file limit are refused before Django spools
them, with a clear message on the form and the typed text kept; the service checks again
under the System's row lock."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client

from accounts.models import User
from tenants.billing.models import Plan
from tenants.models import System
from tests.factories import PlanFactory
from tests.support.tenancy import host_of, in_schema
from tests.support.worker import wait_until
from tests.tickets.conftest import upload
from tickets.models import Attachment
from tickets.services import tickets as ticket_services
from tickets.services.attachments import attachments_add

MB = 1024 * 1024


class _CountingInput:
    """The request body, counting what the server reads of it."""

    def __init__(self, payload) -> None:
        self.payload = payload
        self.read_bytes = 0

    def read(self, *args):
        data = self.payload.read(*args)
        self.read_bytes += len(data)
        return data

    def readline(self, *args):
        data = self.payload.readline(*args)
        self.read_bytes += len(data)
        return data


class CountingClient(Client):
    """A test client that remembers how much of each request body the server read."""

    last_input: _CountingInput | None = None

    def request(self, **request):
        if "wsgi.input" in request:
            self.last_input = _CountingInput(request["wsgi.input"])
            request["wsgi.input"] = self.last_input
        return super().request(**request)


@pytest.fixture
def counting_client(system_a, member_a) -> CountingClient:
    client = CountingClient(HTTP_HOST=host_of(system_a))
    with in_schema(system_a):
        client.force_login(member_a)
    return client


@pytest.fixture
def nowhere_to_spool(settings, tmp_path) -> Path:
    """Any file Django tried to spool would fail: every upload goes to a temporary file,
    in a directory that doesn't exist."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "never-made")
    return tmp_path / "never-made"


def _stored_files(system) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "systems" / system.schema_name
    return sorted(path for path in root.rglob("*") if path.is_file())


def _on_plan(system: System, *, quota_mb: int, used: int = 0) -> Plan:
    plan = PlanFactory(storage_quota_mb=quota_mb)
    System.objects.filter(pk=system.pk).update(plan=plan, storage_used=used)
    return plan


def test_an_upload_over_the_quota_is_refused_before_its_body_is_read(
    system_a, counting_client, nowhere_to_spool
):
    _on_plan(system_a, quota_mb=10, used=8 * MB)
    body = b"x" * (6 * MB)

    response = counting_client.post(
        "/tickets/new/",
        {"subject": "Kept subject", "description": "Kept body", "files": [upload("big.bin", body)]},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Not enough storage left: these files need 6.0\xa0MB" in page
    assert "2.0\xa0MB free of 10.0\xa0MB" in page
    assert "Kept subject" in page and "Kept body" in page
    assert counting_client.last_input.read_bytes < 256 * 1024, "stopped at the first file"
    assert not nowhere_to_spool.exists()
    with in_schema(system_a):
        assert not Attachment.objects.exists()


def test_files_past_the_room_left_are_stopped_as_they_stream(system_a, counting_client):
    # 3 MB left: the request (3.5 MB of files) is within what could be accepted up front
    # (room for text fields besides), so the handler stops it while it streams.
    _on_plan(system_a, quota_mb=10, used=7 * MB)
    files = [upload("one.bin", b"1" * (2 * MB)), upload("two.bin", b"2" * (3 * MB // 2))]

    response = counting_client.post(
        "/tickets/new/", {"subject": "Kept subject", "description": "D", "files": files}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Not enough storage left" in page and "3.0\xa0MB free of 10.0\xa0MB" in page
    assert "Kept subject" in page
    assert 3 * MB < counting_client.last_input.read_bytes < 3 * MB + 256 * 1024
    with in_schema(system_a):
        assert not Attachment.objects.exists()


def test_a_file_past_the_per_file_limit_is_stopped_as_it_streams(
    system_a, counting_client, member_a
):
    System.objects.filter(pk=system_a.pk).update(attachment_max_mb=1)
    with in_schema(system_a):
        ticket = ticket_services.ticket_create(actor=member_a, subject="S", description="D")

    response = counting_client.post(
        f"/tickets/{ticket.number}/",
        {"body": "Kept reply", "files": [upload("huge.bin", b"x" * (4 * MB))]},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "“huge.bin” is larger than 1 MB." in page and "Kept reply" in page
    assert counting_client.last_input.read_bytes < 2 * MB, "stopped soon after the limit"
    with in_schema(system_a):
        assert not Attachment.objects.exists()


def test_a_reply_without_files_still_goes_out_when_storage_is_full(
    system_a, counting_client, member_a
):
    _on_plan(system_a, quota_mb=1, used=MB)
    with in_schema(system_a):
        ticket = ticket_services.ticket_create(actor=member_a, subject="S", description="D")

    response = counting_client.post(f"/tickets/{ticket.number}/", {"body": "Just words"})

    assert response.status_code == 302


def test_the_service_refuses_what_the_quota_cannot_hold_and_keeps_nothing(
    system_a, make_ticket, member_a
):
    _on_plan(system_a, quota_mb=1)
    make_ticket(member_a, files=[upload("first.bin", b"a" * 700_000)])
    before = _stored_files(system_a)

    with pytest.raises(ValidationError, match="Not enough storage left"):
        make_ticket(member_a, files=[upload("second.bin", b"b" * 400_000)])

    assert System.objects.get(pk=system_a.pk).storage_used == 700_000
    with in_schema(system_a):
        assert list(Attachment.objects.values_list("original_name", flat=True)) == ["first.bin"]
    assert _stored_files(system_a) == before


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_two_uploads_at_once_cannot_both_take_the_last_room(committed):
    system = committed.system("roomy", owner="owner@roomy.example")
    plan = committed.plan(storage_quota_mb=1)
    System.objects.filter(pk=system.pk).update(plan=plan)
    with in_schema(system):
        owner = User.objects.get()
        tickets = {
            name: ticket_services.ticket_create(actor=owner, subject=name, description="…")
            for name in ("first.bin", "second.bin")
        }
    first_counted, commit_first = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def attach(name: str) -> None:
        with in_schema(system), transaction.atomic():
            attachments_add(actor=owner, ticket=tickets[name], files=[upload(name, b"z" * 700_000)])

    def first() -> None:
        try:
            # Counted but not committed: the second upload still reads the room as free.
            with in_schema(system), transaction.atomic():
                attach("first.bin")
                first_counted.set()
                commit_first.wait(30)
            outcomes["first"] = "stored"
        finally:
            connection.close()

    def second() -> None:
        try:
            first_counted.wait(30)
            attach("second.bin")
            outcomes["second"] = "stored"
        except ValidationError as error:
            outcomes["second"] = " ".join(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    wait_until(_waiting_for_a_lock, seconds=30)  # the second waits for the System's row
    commit_first.set()
    for thread in threads:
        thread.join()

    assert outcomes["first"] == "stored"
    assert outcomes["second"].startswith("Not enough storage left")
    assert System.objects.get(pk=system.pk).storage_used == 700_000
    with in_schema(system):
        assert list(Attachment.objects.values_list("original_name", flat=True)) == ["first.bin"]
