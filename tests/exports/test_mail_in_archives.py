"""Mail as it arrived is the company's data too: an export carries every kept original as an
.eml file, and an import puts each back where its row says it lives."""

from __future__ import annotations

from zipfile import ZipFile

import pytest
from django.core.management import call_command

from tenants.models import System
from tenants.portability.services import archive
from tests.exports.test_round_trip import export_now, rows
from tests.mail.support import deliver_now, message, support_of
from tests.support.tenancy import in_schema
from tickets.mail.models import InboundMessage
from tickets.models import Ticket


@pytest.fixture
def mailed_a(system_a, member_a, django_capture_on_commit_callbacks):
    """A ticket opened by mail, and a held message from a stranger."""
    to = support_of(system_a)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_now(
            message(sender=member_a.email, to=to, subject="VPN down", body="Since 9:00.\n"),
            to=[to],
        )
        deliver_now(message(sender="eve@outside.example", to=to, subject="Hello"), to=[to])
    with in_schema(system_a):
        return {row.from_address: row for row in InboundMessage.objects.all()}


def test_the_archive_holds_each_kept_message_as_it_arrived(
    mailed_a, system_a, owner_a, member_a, django_capture_on_commit_callbacks
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)

    with ZipFile(path) as zipped:
        manifest = archive.verify(zipped)
        for row in mailed_a.values():
            name = f"mail/inbound/{row.pk}.eml"
            assert name in manifest["files"]
            with in_schema(system_a), row.raw.open("rb") as kept:
                assert zipped.read(name) == kept.read()
    described = {r["id"]: r for r in rows(path, "data/tickets.inboundmessage.json")}
    assert described[mailed_a[member_a.email].pk]["subject"] == "VPN down"


def test_an_import_puts_every_original_back(
    mailed_a, system_a, owner_a, member_a, django_capture_on_commit_callbacks
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    with in_schema(system_a), mailed_a[member_a.email].raw.open("rb") as kept:
        original = kept.read()

    call_command("import_system", str(path), "--slug", "alpha-mail")

    with in_schema(System.objects.get(slug="alpha-mail")):
        row = InboundMessage.objects.get(from_address=member_a.email)
        with row.raw.open("rb") as copied:
            assert copied.read() == original
        assert row.ticket == Ticket.objects.get(subject="VPN down")
        assert InboundMessage.objects.get(from_address="eve@outside.example").raw


def test_an_archive_made_before_mail_went_in_still_imports_without_the_originals(
    mailed_a, system_a, owner_a, django_capture_on_commit_callbacks, tmp_path
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    older = tmp_path / "older.zip"
    with ZipFile(path) as source, ZipFile(older, "w") as target:
        manifest = archive.read_json(source, archive.MANIFEST)
        for info in source.infolist():
            if info.filename.startswith("mail/") or info.filename == archive.MANIFEST:
                continue
            target.writestr(info, source.read(info))
        manifest["files"] = {
            name: entry for name, entry in manifest["files"].items() if not name.startswith("mail/")
        }
        target.writestr(archive.MANIFEST, archive.dumps(archive.sign(manifest)))

    call_command("import_system", str(older), "--slug", "alpha-older")

    with in_schema(System.objects.get(slug="alpha-older")):
        assert InboundMessage.objects.count() == 2
        assert not InboundMessage.objects.exclude(raw="").exists()
        assert Ticket.objects.filter(subject="VPN down").exists()
