"""The beat job empties the trash of what is older than TRASH_DAYS, with the files on disk:
idempotent, batched, and run by a real worker in each System's schema."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEvent, User
from tests.support.tenancy import in_schema
from tests.support.worker import wait_until
from tickets.models import Attachment, Ticket
from tickets.services import trash
from tickets.services.tickets import ticket_create
from tickets.tasks import trash_purge_all


def test_it_purges_only_what_is_older_than_the_trash_period(
    system_a, admin_a, member_a, make_ticket, django_capture_on_commit_callbacks
):
    start = timezone.now()
    old = make_ticket(member_a, subject="Old", files=[("old.txt", b"o")])
    fresh = make_ticket(member_a, subject="Fresh")
    keep = make_ticket(member_a, subject="Kept", files=[("file.txt", b"f")])
    with in_schema(system_a):
        old_path = Path(Attachment.objects.get(ticket=old).file.path)
        loose = Attachment.objects.get(ticket=keep)
        loose_path = Path(loose.file.path)
        with time_machine.travel(start):
            trash.ticket_trash(actor=admin_a, ticket=old, system=system_a)
            trash.attachment_trash(actor=admin_a, attachment=loose, system=system_a)
        with time_machine.travel(start + timedelta(days=20)):
            trash.ticket_trash(actor=admin_a, ticket=fresh, system=system_a)

        with django_capture_on_commit_callbacks(execute=True):
            purged = trash.trash_purge_due(
                as_of=start + timedelta(days=settings.TRASH_DAYS, minutes=1)
            )
        again = trash.trash_purge_due(as_of=start + timedelta(days=settings.TRASH_DAYS, minutes=2))

        assert purged == 2 and again == 0
        assert list(Ticket.objects.values_list("subject", flat=True).order_by("id")) == [
            "Fresh",
            "Kept",
        ]
        assert not Attachment.objects.filter(pk=loose.pk).exists()
        labels = list(
            AuditEvent.objects.filter(
                action__in=[AuditEvent.Action.TICKET_PURGED, AuditEvent.Action.ATTACHMENT_PURGED]
            ).values_list("actor_label", flat=True)
        )
    assert labels == [trash.PURGED_BY, trash.PURGED_BY]
    assert not old_path.exists() and not loose_path.exists()


def test_it_purges_in_batches(system_a, admin_a, member_a, make_ticket):
    with in_schema(system_a):
        for n in range(5):
            trash.ticket_trash(
                actor=admin_a, ticket=make_ticket(member_a, subject=f"T{n}"), system=system_a
            )

        purged = trash.trash_purge_due(
            as_of=timezone.now() + timedelta(days=settings.TRASH_DAYS + 1), batch=2
        )

        assert purged == 5
        assert not Ticket.objects.exists()


@pytest.mark.worker
def test_a_real_worker_empties_each_systems_trash_in_its_own_schema(worker, committed):
    one = committed.system("trash-one", owner="owner@trash-one.example")
    two = committed.system("trash-two", owner="owner@trash-two.example")
    paths = {}
    for system in (one, two):
        with in_schema(system):
            owner = User.objects.get(role=User.Role.OWNER)
            old = ticket_create(
                actor=owner,
                subject="Old",
                description="x",
                files=[SimpleUploadedFile("old.txt", b"bytes")],
            )
            ticket_create(actor=owner, subject="Live", description="x")
            paths[system.slug] = Path(Attachment.objects.get(ticket=old).file.path)
            trash.ticket_trash(actor=owner, ticket=old)
    assert all(path.exists() for path in paths.values())

    later = timezone.now() + timedelta(days=settings.TRASH_DAYS + 1)
    trash_purge_all.delay(later.isoformat())

    def emptied() -> bool:
        for system in (one, two):
            with in_schema(system):
                if Ticket.objects.filter(subject="Old").exists():
                    return False
        return True

    wait_until(emptied)
    wait_until(lambda: not any(path.exists() for path in paths.values()))
    for system in (one, two):
        with in_schema(system):
            assert list(Ticket.objects.values_list("subject", flat=True)) == ["Live"]
