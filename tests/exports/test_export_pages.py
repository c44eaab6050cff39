"""The export page: who may start, watch and download an export, and for how long."""

from __future__ import annotations

import re
from datetime import timedelta
from zipfile import ZipFile

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEvent
from tenants.lifecycle import services as lifecycle
from tenants.models import System
from tenants.portability.models import Export
from tenants.portability.services import archive, exports
from tenants.portability.tasks import exports_expire
from tests.support.tenancy import client_for, in_schema


def start(client, capture) -> Export:
    with capture(execute=True):
        response = client.post("/settings/export/", follow=True)
    assert response.status_code == 200
    return Export.objects.latest("id")


def test_the_owner_starts_an_export_and_gets_an_email_with_the_link(
    system_a, owner_a, django_capture_on_commit_callbacks
):
    client = client_for(system_a, owner_a)
    empty = client.get("/settings/export/").content.decode()
    assert "No export yet." in empty

    export = start(client, django_capture_on_commit_callbacks)

    page = client.get("/settings/export/").content.decode()
    assert export.status == Export.Status.READY
    assert f"/settings/export/{export.pk}/download/" in page and export.sha256 in page
    (message,) = [m for m in mail.outbox if "export" in m.subject.lower()]
    assert message.to == [owner_a.email] and "/settings/export/" in message.body
    with in_schema(system_a):
        actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert AuditEvent.Action.EXPORT_REQUESTED in actions


def test_an_admin_downloads_the_zip_and_its_manifest_verifies(
    system_a, owner_a, admin_a, django_capture_on_commit_callbacks, tmp_path
):
    export = start(client_for(system_a, admin_a), django_capture_on_commit_callbacks)

    response = client_for(system_a, admin_a).get(f"/settings/export/{export.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"{system_a.slug}-export-{export.pk}.zip" in response["Content-Disposition"]
    saved = tmp_path / "export.zip"
    saved.write_bytes(b"".join(response.streaming_content))
    with ZipFile(saved) as zipped:
        manifest = archive.verify(zipped)
    assert manifest["system"]["slug"] == system_a.slug
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT_DOWNLOADED).exists()


@pytest.mark.parametrize("who", ["agent_a", "member_a"])
def test_agents_and_members_can_neither_start_nor_download(
    who, request, system_a, owner_a, django_capture_on_commit_callbacks
):
    export = start(client_for(system_a, owner_a), django_capture_on_commit_callbacks)
    client = client_for(system_a, request.getfixturevalue(who))

    assert client.get("/settings/export/").status_code == 403
    assert client.post("/settings/export/").status_code == 403
    assert client.get(f"/settings/export/{export.pk}/download/").status_code == 403
    assert client.get(f"/settings/export/{export.pk}/progress/").status_code == 403
    assert Export.objects.count() == 1


def test_another_systems_export_is_not_found(
    system_a, system_b, owner_a, user_b, django_capture_on_commit_callbacks
):
    export = start(client_for(system_a, owner_a), django_capture_on_commit_callbacks)
    intruder = client_for(system_b, user_b)
    assert intruder.get(f"/settings/export/{export.pk}/download/").status_code == 404
    assert intruder.get(f"/settings/export/{export.pk}/progress/").status_code == 404


def test_a_second_start_while_one_runs_returns_the_running_one(system_a, owner_a):
    with in_schema(system_a):
        first = exports.export_request(actor=owner_a)  # not built: on_commit never runs here
        second = exports.export_request(actor=owner_a)
    assert first.pk == second.pk and first.status == Export.Status.QUEUED


def test_the_page_refreshes_itself_without_javascript_while_an_export_runs(system_a, owner_a):
    with in_schema(system_a):
        exports.export_request(actor=owner_a)
    page = client_for(system_a, owner_a).get("/settings/export/").content.decode()
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', page)
    assert '<progress id="progress-' in page and "disabled" in page


def test_the_progress_answer_reads_as_json(system_a, owner_a):
    with in_schema(system_a):
        export = exports.export_request(actor=owner_a)
    data = client_for(system_a, owner_a).get(f"/settings/export/{export.pk}/progress/").json()
    assert data == {
        "id": export.pk,
        "status": "queued",
        "status_label": "Queued",
        "stage": "",
        "done": 0,
        "total": 0,
        "percent": 0,
    }


def test_after_a_day_the_link_stops_working_and_the_file_is_removed(
    system_a, owner_a, django_capture_on_commit_callbacks
):
    client = client_for(system_a, owner_a)
    export = start(client, django_capture_on_commit_callbacks)
    path = exports.archive_path(export)
    assert path.exists()

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        client = client_for(system_a, owner_a)  # signed in afresh a day later
        refused = client.get(f"/settings/export/{export.pk}/download/", follow=True)
        assert "no longer offered" in refused.content.decode()
        assert exports_expire() == 1

    assert not path.exists()
    assert Export.objects.get(pk=export.pk).status == Export.Status.EXPIRED
    page = client.get("/settings/export/").content.decode()
    assert "Expired: the file was removed" in page


def test_a_terminated_systems_owner_can_still_export(
    system_a, owner_a, admin_a, django_capture_on_commit_callbacks
):
    lifecycle.transition(system_id=system_a.pk, name="terminate", reason="r", actor="Billing")
    assert System.objects.get(pk=system_a.pk).status == System.Status.TERMINATED

    export = start(client_for(system_a, owner_a), django_capture_on_commit_callbacks)

    assert export.status == Export.Status.READY
    assert client_for(system_a, admin_a).get("/settings/export/").status_code == 403
    assert any("is ready" in m.subject for m in mail.outbox)  # essential mail still goes


def test_the_export_page_costs_the_same_queries_with_1_or_10_exports(
    system_a, owner_a, django_assert_max_num_queries
):
    client = client_for(system_a, owner_a)
    Export.objects.create(system=system_a, requested_by_label="x", requested_by_email="x@x.x")
    client.get("/settings/export/")
    with django_assert_max_num_queries(20) as one:
        client.get("/settings/export/")
    Export.objects.bulk_create(
        Export(system=system_a, requested_by_label="x", requested_by_email="x@x.x")
        for _ in range(9)
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/settings/export/")
    assert page.content.decode().count("<progress") == 10
