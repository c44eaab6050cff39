"""A backup restored brings the System back exactly as it was, and nothing else moves."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from accounts.models import AuditEvent
from tenants.backups.models import Backup, Restore
from tenants.backups.services import backups, restores
from tenants.models import System
from tests.backups.conftest import checksums, fill
from tests.support.tenancy import client_for, in_schema
from tickets.models import Attachment, StatusCount, Ticket
from tickets.services.tickets import ticket_create


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def test_restore_brings_the_system_back_to_the_backup_and_leaves_others_alone(
    backups_cleanup, mailoutbox
):
    committed = backups_cleanup
    system = committed.system("bk-round", owner="owner@bk-round.example")
    other = committed.system("bk-other", owner="owner@bk-other.example")
    owner = fill(system, tickets=4)
    fill(other, tickets=2)
    signed_in = client_for(system, owner)  # a session in the System's schema

    backup = backups.backup_request(system=system)
    backup.refresh_from_db()
    assert backup.status == Backup.Status.OK, backup.error
    assert backup.manifest["tables"]["tickets_ticket"]["rows"] == 4
    assert backup.manifest["files"] == 4
    at_backup = checksums(system)
    assert {t: v for t, v in at_backup.items()} == backup.manifest["tables"]
    other_before = checksums(other)

    # Life goes on after the backup: more tickets, a changed one.
    fill(system, tickets=3, prefix="Later")
    with in_schema(system):
        Ticket.objects.filter(subject="Ticket 0").update(subject="Changed")
    old_schema = system.schema_name

    restore = restores.restore_start(backup=backup, operator="op@example.com")
    restore.refresh_from_db()
    assert restore.status == Restore.Status.SWAPPED, restore.error
    system.refresh_from_db()
    assert system.schema_name == restore.restored_schema != old_schema
    assert restore.previous_schema == old_schema and _schema_exists(old_schema)

    now = checksums(system)
    # Everyone signs in again: the backup's sessions are gone.
    assert at_backup.pop("django_session")["rows"] == 1
    assert now.pop("django_session")["rows"] == 0
    assert signed_in.get("/").status_code == 302
    # The restore itself is in the System's audit log; every other table equals the backup.
    assert now.pop("accounts_auditevent")["rows"] == (
        at_backup.pop("accounts_auditevent")["rows"] + 1
    )
    assert now == at_backup
    assert checksums(other) == other_before
    with in_schema(system):
        assert set(Ticket.objects.values_list("subject", flat=True)) == {
            f"Ticket {n}" for n in range(4)
        }
        for attachment in Attachment.objects.all():
            with default_storage.open(attachment.file.name) as handle:
                assert handle.read().startswith(b"content")
        event = AuditEvent.objects.get(action=AuditEvent.Action.SYSTEM_RESTORED)
        assert event.actor_label == "Operator (op@example.com)"
    pre = Backup.objects.get(system=system, kind=Backup.Kind.PRE_RESTORE)
    assert pre.status == Backup.Status.OK and pre.manifest["tables"]["tickets_ticket"]["rows"] == 7
    assert any("restored from a backup" in m.subject for m in mailoutbox)
    assert owner.email in {m.to[0] for m in mailoutbox if "restored" in m.subject}

    # The restored schema works: its sequence goes on from the backup, its triggers fire.
    with in_schema(system):
        ticket = ticket_create(actor=owner, subject="After the restore", description="x")
        assert ticket.number == 5
        assert sum(StatusCount.objects.values_list("n", flat=True)) == 5

    restores.restore_confirm(restore=restore, operator="op@example.com")
    assert not _schema_exists(old_schema)
    assert not backups.files_root(old_schema).exists()
    with in_schema(System.objects.get(pk=system.pk)):
        confirmed = AuditEvent.objects.filter(action=AuditEvent.Action.SYSTEM_RESTORED).latest("id")
        assert confirmed.detail == {"restore_id": restore.pk, "confirmed": True}
        assert confirmed.actor_label == "Operator (op@example.com)"


def test_swapping_back_returns_to_the_data_from_before_the_restore(backups_cleanup):
    committed = backups_cleanup
    system = committed.system("bk-back", owner="owner@bk-back.example")
    fill(system, tickets=2)
    backup = backups.backup_request(system=system)
    backup.refresh_from_db()
    fill(system, tickets=1, prefix="Later")
    before_restore = checksums(system)
    old_schema = system.schema_name

    restore = restores.restore_start(backup=backup, operator="op@example.com")
    restore.refresh_from_db()
    system.refresh_from_db()
    new_schema = system.schema_name
    assert new_schema != old_schema

    restores.restore_rollback(restore=restore, operator="op@example.com")
    system.refresh_from_db()
    assert system.schema_name == old_schema
    assert not _schema_exists(new_schema)
    after = checksums(system)
    assert after.pop("accounts_auditevent")["rows"] == (
        before_restore.pop("accounts_auditevent")["rows"] + 1
    )
    assert after == before_restore
    assert System.objects.get(pk=system.pk).restores.get().status == Restore.Status.ROLLED_BACK


def test_a_restore_that_fails_leaves_the_system_as_it_was_and_alerts(backups_cleanup, settings):
    from django.core import mail
    from django.core.files.base import ContentFile

    from tenants.backups.models import RestoreRequest

    settings.OPERATOR_EMAIL = "ops@example.com"
    committed = backups_cleanup
    system = committed.system("bk-broken", owner="owner@bk-broken.example")
    fill(system, tickets=2)
    backup = backups.backup_request(system=system)
    backup.refresh_from_db()
    name = f"{backup.location}/{backups.DUMP}"
    backups.storage().delete(name)
    backups.storage().save(name, ContentFile(b"damaged"))
    before = checksums(system)
    schemas_before = _schemas()
    asked = RestoreRequest.objects.create(
        system=system,
        backup=backup,
        reason="x",
        due_at=backup.started_at,
        requested_by_label="Owner",
        requested_by_email="owner@bk-broken.example",
    )

    # Eager here: the task's error reaches us (a worker would log it).
    with pytest.raises(backups.BackupCorrupt):
        restores.restore_start(backup=backup, operator="op@example.com", request=asked)
    restore = Restore.objects.get(system=system)
    assert restore.status == Restore.Status.FAILED and "SHA-256" in restore.error
    system.refresh_from_db()
    assert system.schema_name == restore.system.schema_name
    assert checksums(system) == before
    assert _schemas() == schemas_before  # the new schema, if any, is gone
    asked.refresh_from_db()
    assert asked.status == RestoreRequest.Status.OPEN  # back with the operator
    assert any("Restore of bk-broken failed" in m.subject for m in mail.outbox)


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 's\\_%'")
        return {row[0] for row in cursor.fetchall()}


def test_a_restore_whose_worker_died_is_undone_and_marked_failed(system_a, settings):
    settings.OPERATOR_EMAIL = "ops@example.com"
    backup = Backup.objects.create(
        system=system_a,
        system_slug="alpha",
        schema_name=system_a.schema_name,
        status=Backup.Status.OK,
    )
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "s_999990"')
        cursor.execute('CREATE TABLE "s_999990".half_made (id int)')
    restore = Restore.objects.create(
        system=system_a,
        backup=backup,
        operator="op@example.com",
        status=Restore.Status.RUNNING,
        restored_schema="s_999990",
    )
    assert restores.restores_fail_stalled() == 1
    restore.refresh_from_db()
    assert restore.status == Restore.Status.FAILED and "worker stopped" in restore.error
    assert not _schema_exists("s_999990")
    system_a.refresh_from_db()
    assert system_a.schema_name == backup.schema_name
    assert restores.restores_fail_stalled() == 0


def test_deleting_a_system_with_an_unconfirmed_restore_leaves_no_schema_behind(
    backups_cleanup,
):
    from tenants.lifecycle.services import system_delete

    committed = backups_cleanup
    system = committed.system("bk-gone", owner="owner@bk-gone.example")
    fill(system, tickets=1)
    backup = backups.backup_request(system=system)
    backup.refresh_from_db()
    restore = restores.restore_start(backup=backup, operator="op@example.com")
    restore.refresh_from_db()
    assert restore.status == Restore.Status.SWAPPED
    previous = restore.previous_schema
    system.refresh_from_db()

    system_delete(system=system, reason="The customer left", by="op@example.com")
    assert _schema_exists(previous)  # what the deletion alone leaves
    assert restores.restores_fail_stalled() == 1
    assert not _schema_exists(previous)
    assert not backups.files_root(previous).exists()
    restore.refresh_from_db()
    assert restore.system is None and restore.status == Restore.Status.CONFIRMED
