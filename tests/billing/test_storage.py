"""Storage per System: a counter of the bytes its files take (attachments, thumbnails,
export archives), the plan's quota, a meter on the billing page, warnings to the owner at
80 % and 100 %, and a recount that repairs drift."""

from __future__ import annotations

import importlib
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tenants.models import System
from tenants.portability.models import Export
from tenants.portability.services.exports import exports_expire
from tests.factories import PlanFactory
from tests.support.tenancy import client_for, in_schema
from tests.tickets.conftest import png_bytes, upload
from tickets.models import Attachment, Ticket
from tickets.services import tickets as ticket_services
from tickets.services import trash

MB = 1024 * 1024


def _used(system: System) -> int:
    return System.objects.values_list("storage_used", flat=True).get(pk=system.pk)


def _on_quota(system: System, megabytes: int) -> None:
    System.objects.filter(pk=system.pk).update(plan=PlanFactory(storage_quota_mb=megabytes))


@pytest.fixture
def owned_a(system_a, owner_a) -> System:
    System.objects.filter(pk=system_a.pk).update(owner_email=owner_a.email)
    return System.objects.get(pk=system_a.pk)


def _raise(system, actor, files, capture):
    with in_schema(system), capture(execute=True):
        return ticket_services.ticket_create(
            actor=actor, subject="Files", description="…", files=files
        )


def test_files_and_thumbnails_count_and_purging_gives_them_back(
    system_a, owner_a, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    ticket = _raise(
        system_a,
        owner_a,
        [upload("shot.png", png_bytes((900, 600))), upload("notes.txt", b"n" * 5_000)],
        capture,
    )
    with in_schema(system_a):
        image = Attachment.objects.get(original_name="shot.png")
        thumbnail = Path(image.thumbnail.path).stat().st_size
        total = sum(Attachment.objects.values_list("size", flat=True))
    assert thumbnail > 0
    assert _used(system_a) == total + thumbnail

    with in_schema(system_a), capture(execute=True):
        trash.attachment_trash(actor=owner_a, attachment=image)
        assert _used(system_a) == total + thumbnail, "the trash still holds it"
        trash.attachment_purge(actor=owner_a, attachment=image)
    assert _used(system_a) == 5_000

    with in_schema(system_a), capture(execute=True):
        trash.ticket_trash(actor=owner_a, ticket=ticket)
        trash.ticket_purge(actor=owner_a, ticket=Ticket.objects.get(pk=ticket.pk))
    assert _used(system_a) == 0


def test_a_system_without_a_plan_has_the_default_quota(system_a, owner_a, settings):
    settings.STORAGE_QUOTA_DEFAULT_MB = 3
    page = client_for(system_a, owner_a).get("/billing/").content.decode()
    assert "of <strong>3.0\xa0MB</strong> used (0 %)" in page


def test_the_billing_page_shows_storage_as_an_accessible_meter(system_a, owner_a):
    _on_quota(system_a, 10)
    System.objects.filter(pk=system_a.pk).update(storage_used=8_500_000)

    page = client_for(system_a, owner_a).get("/billing/").content.decode()

    assert "<strong>8.1\xa0MB</strong> of <strong>10.0\xa0MB</strong> used (81 %)" in page
    assert '<meter class="w-100" min="0" max="10485760"' in page
    assert 'value="8500000" aria-labelledby="storage-heading"' in page
    assert 'aria-valuetext="81 % used"' in page
    assert "Storage is nearly full" in page


def test_the_owner_is_told_once_at_80_and_once_at_100_percent_and_again_after_freeing(
    owned_a, owner_a, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _on_quota(owned_a, 1)

    def warnings() -> list[str]:
        return [m.subject for m in mail.outbox if "storage" in m.subject]

    first = _raise(owned_a, owner_a, [upload("a.bin", b"a" * 850_000)], capture)
    assert warnings() == ["Alpha Support has used 80 % of its storage"]
    _raise(owned_a, owner_a, [upload("b.bin", b"b" * 50_000)], capture)
    assert len(warnings()) == 1, "not again while above 80 %"
    _raise(owned_a, owner_a, [upload("c.bin", b"c" * (MB - 900_000))], capture)
    assert warnings()[1:] == ["Alpha Support has used all its storage"]
    (full,) = [m for m in mail.outbox if "all its storage" in m.subject]
    assert full.to == [owner_a.email] and "/trash/" in full.body and "/billing/" in full.body

    with in_schema(owned_a), capture(execute=True):
        trash.ticket_trash(actor=owner_a, ticket=first)
        trash.ticket_purge(actor=owner_a, ticket=Ticket.objects.get(pk=first.pk))
    assert System.objects.get(pk=owned_a.pk).storage_notice_level == 0
    _raise(owned_a, owner_a, [upload("d.bin", b"d" * 700_000)], capture)
    assert len(warnings()) == 3 and warnings()[2].endswith("80 % of its storage")


def test_an_export_counts_while_it_is_offered(owned_a, owner_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owned_a, owner_a).post("/settings/export/")
    export = Export.objects.get(system=owned_a)
    assert export.status == Export.Status.READY and export.size > 0
    assert _used(owned_a) == export.size

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert exports_expire() == 1
    assert _used(owned_a) == 0


def test_the_recount_repairs_a_counter_that_drifted(
    system_a, owner_a, django_capture_on_commit_callbacks
):
    _raise(
        system_a,
        owner_a,
        [upload("shot.png", png_bytes((300, 200))), upload("a.txt", b"a" * 1_000)],
        django_capture_on_commit_callbacks,
    )
    right = _used(system_a)
    System.objects.filter(pk=system_a.pk).update(storage_used=123)

    call_command("storage_recount", "alpha", stdout=(out := _Lines()))

    assert _used(system_a) == right
    assert out.text.startswith("alpha: ") and "(was 123\xa0bytes)" in out.text


def test_the_migration_counts_what_systems_already_hold(
    system_a, owner_a, django_capture_on_commit_callbacks
):
    _raise(system_a, owner_a, [upload("a.txt", b"a" * 4_000)], django_capture_on_commit_callbacks)
    System.objects.filter(pk=system_a.pk).update(storage_used=0)
    migration = importlib.import_module("tenants.migrations.0011_storage_used")

    migration.count_what_exists(apps, SimpleNamespace(connection=connection))

    assert _used(system_a) == 4_000


class _Lines:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text
