"""Exports built by real workers: consistent while people work, and finished by another
worker when the first one dies half-way."""

from __future__ import annotations

from zipfile import ZipFile

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from servicedesk.celery import app
from tenants.portability.models import Export
from tenants.portability.services import archive, exports
from tests.support.tenancy import client_for, in_schema
from tests.support.worker import Worker, database_url, eager_off, wait_until
from tickets.services.tickets import ticket_create

pytestmark = pytest.mark.worker


def fill(system, tickets: int = 30) -> User:
    with in_schema(system):
        owner = User.objects.get(role=User.Role.OWNER)
        for n in range(tickets):
            ticket_create(
                actor=owner,
                subject=f"Ticket {n}",
                description="Text " * 50,
                files=[SimpleUploadedFile(f"file-{n}.txt", f"content {n}".encode() * 500)],
            )
    return owner


def test_a_worker_builds_the_export_and_the_owner_downloads_it(worker, committed, tmp_path):
    system = committed.system("ex-worker", owner="owner@ex-worker.example")
    owner = fill(system, tickets=5)
    client = client_for(system, owner)

    client.post("/settings/export/")
    export = Export.objects.get(system=system)
    wait_until(lambda: Export.objects.get(pk=export.pk).status == Export.Status.READY, 60)

    response = client.get(f"/settings/export/{export.pk}/download/")
    saved = tmp_path / "a.zip"
    saved.write_bytes(b"".join(response.streaming_content))
    with ZipFile(saved) as zipped:
        manifest = archive.verify(zipped)
    assert manifest["files"]["data/tickets.ticket.json"]["rows"] == 5
    assert sum(1 for name in manifest["files"] if name.startswith("files/tickets/")) == 5
    worker.drain()
    assert any("is ready" in str(m["Subject"]) for m in worker.mails())


def test_a_worker_killed_mid_export_leaves_nothing_offered_and_another_finishes_it(
    committed, tmp_path_factory
):
    system = committed.system("ex-fault", owner="owner@ex-fault.example")
    owner = fill(system, tickets=30)
    queue = f"{app.conf.task_default_queue}-fault"
    env = {"EXPORT_LEASE_SECONDS": "3"}
    first = Worker(tmp_path_factory.mktemp("fault-mail"), queue=queue, env=env).start()
    routes = app.conf.task_routes
    app.conf.update(task_routes={"tenants.tasks.export_build": {"queue": queue}})
    # Hold a lock on a table the export reads late (the operator's records in public), so
    # the worker is caught mid-way, its tenant data already written.
    blocker = psycopg.connect(database_url(), autocommit=False)
    watcher = psycopg.connect(database_url(), autocommit=True)
    second = None
    try:
        blocker.execute("LOCK TABLE public.legal_takedown IN ACCESS EXCLUSIVE MODE")
        with eager_off(), in_schema(system):
            export = exports.export_request(actor=owner)
        wait_until(lambda: _waiting_on_lock(watcher), 60)
        final = exports.archive_path(export)
        (partial,) = final.parent.glob(f"{final.name}.*.partial")
        assert partial.stat().st_size > 0 and not final.exists()

        first.kill()
        blocker.rollback()

        stuck = Export.objects.get(pk=export.pk)
        assert stuck.status == Export.Status.RUNNING and stuck.attempts == 1
        offered = client_for(system, owner).get(
            f"/settings/export/{export.pk}/download/", follow=True
        )
        assert "no longer offered" in offered.content.decode()  # never a partial file
        wait_until(lambda: not exports.lease_held(export.pk), 10)  # the lease lapses

        second = Worker(tmp_path_factory.mktemp("fault-mail-2"), queue=queue, env=env).start()
        with eager_off():
            assert exports.exports_resume_stalled() == 1
        done = wait_until(
            lambda: Export.objects.filter(pk=export.pk, status=Export.Status.READY).first(), 60
        )
    finally:
        app.conf.update(task_routes=routes)
        blocker.close()
        watcher.close()
        first.stop()
        if second is not None:
            second.stop()

    assert done.attempts == 2
    assert list(final.parent.glob("*.partial")) == []
    with ZipFile(exports.archive_path(done)) as zipped:
        manifest = archive.verify(zipped)
    assert manifest["files"]["data/tickets.ticket.json"]["rows"] == 30
    assert manifest["files"]["data/public/legal.takedown.json"]["rows"] == 0


def _waiting_on_lock(blocker) -> bool:
    rows = blocker.execute(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock' "
        "AND query ILIKE '%legal_takedown%'"
    ).fetchone()
    return rows[0] > 0
