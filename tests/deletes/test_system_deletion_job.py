"""Due deletions carried out: schema, files, domains and pending exports go; invoices and the
SystemDeletion record stay; the owner gets a last email. Once, however many runs or workers."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone

from accounts.models import User
from tenants.billing.models import Invoice
from tenants.lifecycle import deletion
from tenants.lifecycle.models import SystemDeletion
from tenants.lifecycle.tasks import system_deletions_due
from tenants.models import Domain, ScheduledDeletion, System
from tenants.portability.models import Export
from tenants.portability.services import exports
from tests.factories import PASSWORD, InvoiceFactory
from tests.support.tenancy import in_schema
from tests.support.worker import wait_until
from tickets.models import Attachment
from tickets.services.tickets import ticket_create


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def doomed(committed, slug: str):
    system = committed.system(slug, owner=f"owner@{slug}.example")
    with in_schema(system):
        owner = User.objects.get(role=User.Role.OWNER)
        ticket = ticket_create(
            actor=owner,
            subject="Doomed",
            description="x",
            files=[SimpleUploadedFile("doc.txt", b"bytes")],
        )
        stored = Path(Attachment.objects.get(ticket=ticket).file.path)
        scheduled = deletion.deletion_schedule(
            actor=owner, system=system, password=PASSWORD, subdomain=slug
        )
    export_dir = exports.export_dir(system.pk)
    export_dir.mkdir(parents=True, exist_ok=True)
    (export_dir / "export-1.zip").write_bytes(b"zip")
    Export.objects.create(
        system=system,
        requested_by_label="Owner",
        requested_by_email=f"owner@{slug}.example",
        status=Export.Status.READY,
    )
    invoice = InvoiceFactory(system=system, customer=system.customer)
    return system, scheduled, stored, export_dir, invoice


def test_a_due_deletion_removes_everything_but_invoices_and_the_record(
    committed, django_capture_on_commit_callbacks
):
    system, scheduled, stored, export_dir, invoice = doomed(committed, "del-job")
    schema = system.schema_name
    assert stored.exists() and schema_exists(schema)
    too_early = scheduled.due_at - timedelta(minutes=1)
    assert deletion.deletions_due(as_of=too_early) == []
    assert deletion.deletion_carry_out(deletion_id=scheduled.pk, as_of=too_early) is None
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        record = deletion.deletion_carry_out(
            deletion_id=scheduled.pk, as_of=scheduled.due_at + timedelta(minutes=1)
        )

    assert record is not None and record.slug == "del-job"
    assert "owner@del-job.example" in record.requested_by
    assert not schema_exists(schema)
    assert not System.objects.filter(pk=system.pk).exists()
    assert not Domain.objects.filter(domain__startswith="del-job.").exists()
    assert not Export.objects.filter(system_id=system.pk).exists()
    assert not ScheduledDeletion.objects.filter(pk=scheduled.pk).exists()
    assert not stored.exists() and not export_dir.exists()
    assert Invoice.objects.filter(pk=invoice.pk).exists()
    assert SystemDeletion.objects.filter(slug="del-job").count() == 1
    (last,) = [m for m in mail.outbox if "owner@del-job.example" in m.to]
    assert "is deleted" in last.subject
    assert deletion.deletion_carry_out(deletion_id=scheduled.pk) is None  # a second run


def test_a_cancelled_deletion_is_never_carried_out(committed):
    system, scheduled, stored, _dir, _invoice = doomed(committed, "del-undone")
    with in_schema(system):
        owner = User.objects.get(role=User.Role.OWNER)
        deletion.deletion_cancel(actor=owner, system=system)

    later = scheduled.due_at + timedelta(days=1)
    assert deletion.deletions_due(as_of=later) == []
    assert deletion.deletion_carry_out(deletion_id=scheduled.pk, as_of=later) is None
    assert schema_exists(system.schema_name) and stored.exists()


def test_two_workers_at_once_delete_it_once(committed):
    system, scheduled, _stored, _dir, _invoice = doomed(committed, "del-race")
    later = scheduled.due_at + timedelta(minutes=1)
    barrier = threading.Barrier(2)
    results: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            connection.set_schema_to_public()
            barrier.wait()
            results.append(deletion.deletion_carry_out(deletion_id=scheduled.pk, as_of=later))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sum(result is not None for result in results) == 1
    assert SystemDeletion.objects.filter(slug="del-race").count() == 1
    assert not schema_exists(system.schema_name)


@pytest.mark.worker
def test_the_beat_job_has_a_real_worker_carry_it_out(worker, committed):
    system, scheduled, stored, _dir, _invoice = doomed(committed, "del-worker")
    later = scheduled.due_at + timedelta(minutes=1)

    assert system_deletions_due.delay(later.isoformat()) is not None
    deadline = time.monotonic() + 60
    while System.objects.filter(pk=system.pk).exists() and time.monotonic() < deadline:
        time.sleep(0.2)

    assert not System.objects.filter(pk=system.pk).exists()
    assert SystemDeletion.objects.filter(slug="del-worker").count() == 1
    assert not schema_exists(system.schema_name)
    # Files and the owner's last email go once the deletion commits, a moment after the
    # row is gone: wait for them rather than for the queue as it stood.
    wait_until(lambda: not stored.exists())
    wait_until(lambda: any("is deleted" in str(m["Subject"]) for m in worker.mails()))
    assert timezone.now() < later  # it ran on the date it was told, not the clock


def test_the_operator_sees_scheduled_deletions_and_records_read_only(committed):
    _system, scheduled, _stored, _dir, _invoice = doomed(committed, "del-admin")
    operator = committed.operator("op-deletes@example.com")

    listing = operator.get("/admin/tenants/scheduleddeletion/")
    detail = operator.get(f"/admin/tenants/scheduleddeletion/{scheduled.pk}/change/")

    assert listing.status_code == 200 and "del-admin" in listing.content.decode()
    assert scheduled.undo_token_hash not in detail.content.decode()
    assert operator.get("/admin/tenants/systemdeletion/").status_code == 200
    assert operator.get("/admin/tenants/scheduleddeletion/add/").status_code == 403
