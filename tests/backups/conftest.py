from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from accounts.models import User
from tenants.backups.models import Backup, Restore, RestoreRequest
from tenants.backups.services import pgtools
from tenants.models import System
from tests.support.tenancy import in_schema
from tickets.services.tickets import ticket_create


@pytest.fixture
def backups_cleanup(committed):
    """Backups, restores and requests a committed test made, and schemas a restore left."""
    floor = Backup.objects.order_by("-id").values_list("id", flat=True).first() or 0
    yield committed
    connection.set_schema_to_public()
    leftovers = Restore.objects.filter(backup_id__gt=floor).values_list(
        "previous_schema", "restored_schema"
    )
    live = set(System.objects.values_list("schema_name", flat=True))
    for names in leftovers:
        for name in names:
            if name and name not in live:
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    Restore.objects.filter(backup_id__gt=floor).delete()
    RestoreRequest.objects.filter(system__in=System.objects.all()).filter(
        backup_id__gt=floor
    ).delete()
    Backup.objects.filter(id__gt=floor).delete()


def fill(system: System, tickets: int = 5, prefix: str = "Ticket") -> User:
    with in_schema(system):
        owner = User.objects.get(role=User.Role.OWNER)
        for n in range(tickets):
            ticket_create(
                actor=owner,
                subject=f"{prefix} {n}",
                description="Text " * 20,
                files=[SimpleUploadedFile(f"file-{n}.txt", f"content {n} ".encode() * 100)],
            )
    return owner


def checksums(system: System) -> dict:
    system.refresh_from_db()
    return pgtools.checksums_of(schema=system.schema_name)
