"""The operator imports a help desk from an export in admin."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tenants.models import System
from tenants.portability.models import SystemImport
from tests.exports.test_round_trip import export_now
from tests.support.tenancy import in_schema
from tickets.models import Ticket


def test_the_operator_imports_an_archive_and_sees_the_new_help_desk(
    operator, rich_system_a, system_a, owner_a, django_capture_on_commit_callbacks
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    upload = SimpleUploadedFile("alpha.zip", path.read_bytes(), content_type="application/zip")

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            "/admin/tenants/systemimport/new/",
            {"archive": upload, "slug": "alpha-restored", "name": "Alpha again"},
            follow=True,
        )

    assert "the archive is checked first" in response.content.decode()
    record = SystemImport.objects.get(slug="alpha-restored")
    assert record.status == SystemImport.Status.DONE and record.by == "op@example.com"
    copy = System.objects.get(slug="alpha-restored")
    assert copy.name == "Alpha again" and copy.seats_used == 3  # owner, agent, Mia
    with in_schema(copy):
        assert Ticket.objects.count() == 2
    listing = operator.get("/admin/tenants/systemimport/").content.decode()
    assert "alpha-restored" in listing
    assert not list((settings.EXPORT_ROOT / "imports").glob("*.zip"))  # staging cleaned


def test_a_bad_archive_is_refused_in_the_list_with_the_reason(
    operator, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("bad.zip", b"PK\x03\x04 not really", content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        operator.post("/admin/tenants/systemimport/new/", {"archive": upload, "slug": "nope"})

    record = SystemImport.objects.get(slug="nope")
    assert record.status == SystemImport.Status.REFUSED
    assert "not a readable zip file" in record.reason
    assert (
        "not a readable zip file" in operator.get("/admin/tenants/systemimport/").content.decode()
    )
    assert not System.objects.filter(slug="nope").exists()


def test_a_reserved_subdomain_is_refused_in_the_form_and_keeps_what_was_typed(operator):
    upload = SimpleUploadedFile("a.zip", b"x", content_type="application/zip")
    response = operator.post(
        "/admin/tenants/systemimport/new/",
        {"archive": upload, "slug": "admin", "name": "Kept name"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kept name" in page and "reserved" in page.lower()
    assert not SystemImport.objects.exists()
