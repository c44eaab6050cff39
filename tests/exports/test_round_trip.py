"""Export → import → export: the archive holds everything, so the copy is the same."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from zipfile import ZipFile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AuditEvent, User
from tenants.models import System
from tenants.portability.models import Export, SystemImport
from tenants.portability.services import archive, exports
from tests.support.tenancy import in_schema
from tickets.models import Attachment, Ticket, TicketField


def export_now(system: System, actor: User, capture) -> tuple[Export, Path]:
    """Ask for an export as ``actor`` and let it build (in this process)."""
    with in_schema(system), capture(execute=True):
        export = exports.export_request(actor=actor)
    export.refresh_from_db()
    assert export.status == Export.Status.READY, export.error
    return export, exports.archive_path(export)


def rows(path: Path, name: str) -> list[dict]:
    with ZipFile(path) as zipped:
        return list(archive.read_rows(zipped, name))


def test_the_archive_holds_every_kind_of_data_without_secrets(
    rich_system_a, system_a, owner_a, django_capture_on_commit_callbacks
):
    export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)

    with ZipFile(path) as zipped:
        manifest = archive.verify(zipped)
        names = set(zipped.namelist())
        text = b"".join(zipped.read(n) for n in names if n.endswith((".json", ".csv")))
    for expected in (
        "data/accounts.user.json",
        "data/tickets.ticket.json",
        "data/tickets.reply.json",
        "data/tickets.ticketevent.json",
        "data/tickets.attachment.json",
        "data/legal.termsacceptance.json",
        "data/accounts.auditevent.json",
        "data/public/legal.consentchange.json",
        "data/public/legal.operatoraccess.json",
        "data/public/legal.operatoraccessview.json",
        "records/tenants.invoice.json",
        "tickets.csv",
        "system.json",
    ):
        assert expected in names
    first, _second = rich_system_a["tickets"]
    assert f"files/tickets/{first.number}/" in " ".join(names)
    photo = next(n for n in names if n.endswith("/photo.png"))
    assert photo.startswith(f"files/tickets/{first.number}/")
    assert sum(1 for n in names if n.endswith("/notes.txt")) == 2  # same name, both kept
    # Secrets never leave: password hashes, invitation tokens, second factors, sessions.
    with in_schema(system_a):
        hashed = User.objects.get(pk=owner_a.pk).password
    assert hashed.encode() not in text
    assert b'"password"' not in text and b"token_hash" not in text
    assert not any("authenticator" in n or "session" in n for n in names)
    assert manifest["files"]["data/tickets.ticket.json"]["rows"] == 2
    assert export.counts["data/tickets.reply.json"] == 2
    # Notes are there (it's the company's own data) and marked as notes.
    replies = rows(path, "data/tickets.reply.json")
    assert {(r["body"], r["is_internal"]) for r in replies} >= {("Internal: toner low", True)}


def test_the_spreadsheet_opens_with_one_row_per_ticket_and_no_formulas(
    rich_system_a, system_a, owner_a, django_capture_on_commit_callbacks
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    with ZipFile(path) as zipped:
        table = list(csv.DictReader(io.StringIO(zipped.read("tickets.csv").decode())))
    assert [row["subject"] for row in table] == ["Printer jams", '\'=HYPERLINK("http://evil")']
    assert table[0]["requester"] == "mia@alpha.example"
    assert table[0]["category"] == "Hardware"
    # One column per custom field, headed by its label, values as people read them.
    assert [(row["Product"], row["Refund approved"]) for row in table] == [
        ("Printer", ""),
        ("Laptop", "Yes"),
    ]


def test_export_then_import_then_export_gives_the_same_archive(
    rich_system_a, system_a, owner_a, django_capture_on_commit_callbacks, tmp_path
):
    _first, first_path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)

    call_command("import_system", str(first_path), "--slug", "alpha-copy")

    copy = System.objects.get(slug="alpha-copy")
    assert SystemImport.objects.get(system=copy).status == SystemImport.Status.DONE
    with in_schema(copy):
        owner_copy = User.objects.get(email=owner_a.email)
        assert not owner_copy.has_usable_password()
        assert Ticket.objects.count() == 2
        # Custom fields and their typed values come back as they were.
        assert list(TicketField.objects.values_list("key", "kind", "visibility")) == [
            ("product", "dropdown", "everyone"),
            ("refund_approved", "checkbox", "staff"),
        ]
        assert sorted(Ticket.objects.values_list("custom", flat=True), key=len) == [
            {"product": "Printer"},
            {"product": "Laptop", "refund_approved": True},
        ]
        photo = Attachment.objects.get(original_name="photo.png")
        with photo.file.open("rb") as handle:
            assert handle.read().startswith(b"\x89PNG")
    _second, second_path = export_now(copy, owner_copy, django_capture_on_commit_callbacks)

    with ZipFile(first_path) as a, ZipFile(second_path) as b:
        one = json.loads(a.read("manifest.json"))["files"]
        two = json.loads(b.read("manifest.json"))["files"]
        assert set(one) == set(two)
        differing = {name for name in one if one[name]["sha256"] != two[name]["sha256"]}
        # What must differ: the System itself (its address), the ids of the operator's
        # records (new rows for the new System), and the audit log, which gained the
        # import and the second export.
        assert differing <= {
            "system.json",
            "data/accounts.auditevent.json",
            "data/public/legal.consentchange.json",
            "data/public/legal.operatoraccess.json",
            "data/public/legal.operatoraccessview.json",
            "records/tenants.invoice.json",
        }
        for name in differing - {"system.json", "data/accounts.auditevent.json"}:
            assert _without_ids(archive.read_rows(a, name)) == _without_ids(
                archive.read_rows(b, name)
            ), name
        before = list(archive.read_rows(a, "data/accounts.auditevent.json"))
        after = list(archive.read_rows(b, "data/accounts.auditevent.json"))
        assert after[: len(before)] == before
        assert [row["action"] for row in after[len(before) :]] == [
            AuditEvent.Action.SYSTEM_IMPORTED,
            AuditEvent.Action.EXPORT_REQUESTED,
        ]


def _without_ids(rows) -> list[dict]:
    ignored = {"id", "system_id", "access_id", "report_id"}
    return [{k: v for k, v in row.items() if k not in ignored} for row in rows]


def test_a_changed_file_is_refused_and_nothing_is_made(
    rich_system_a, system_a, owner_a, django_capture_on_commit_callbacks, tmp_path
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    tampered = tmp_path / "tampered.zip"
    with ZipFile(path) as source, ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "data/tickets.ticket.json":
                data = data.replace(b"Printer jams", b"Printer fine")
            target.writestr(info, data)
    pooled_before = System.objects.filter(status=System.Status.POOLED).count()

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("import_system", str(tampered), "--slug", "alpha-tampered")

    assert not System.objects.filter(slug="alpha-tampered").exists()
    assert System.objects.filter(status=System.Status.POOLED).count() == pooled_before
    refused = SystemImport.objects.get(slug="alpha-tampered")
    assert refused.status == SystemImport.Status.REFUSED and "checksum" in refused.reason


def test_a_rewritten_manifest_is_refused_by_its_signature(
    rich_system_a, system_a, owner_a, django_capture_on_commit_callbacks, tmp_path
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    forged = tmp_path / "forged.zip"
    with ZipFile(path) as source, ZipFile(forged, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        manifest["files"]["system.json"]["bytes"] += 0
        manifest["system"]["name"] = "Someone else"
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "manifest.json":
                data = json.dumps(manifest).encode()
            target.writestr(info, data)

    with pytest.raises(CommandError, match="signature does not match"):
        call_command("import_system", str(forged), "--slug", "alpha-forged")
    assert not System.objects.filter(slug="alpha-forged").exists()


def test_a_file_that_is_not_an_archive_is_refused_with_the_reason(db, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(CommandError, match="not a readable zip file"):
        call_command("import_system", str(junk), "--slug", "junk")


def test_a_taken_subdomain_is_refused_after_the_archive_checks_out(
    rich_system_a, system_a, system_b, owner_a, django_capture_on_commit_callbacks
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    with pytest.raises(CommandError, match="already taken"):
        call_command("import_system", str(path), "--slug", system_b.slug)
