"""The owner exports everything: starts it, watches the bar fill while a real worker builds
the archive, downloads it, and the zip opens with a manifest that verifies."""

import hashlib
from zipfile import ZipFile

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from tenants.portability.models import Export
from tenants.portability.services import archive
from tests.factories import PASSWORD
from tests.support.browser import assert_accessible
from tests.support.tenancy import in_schema
from tests.support.worker import database_url
from tickets.services.tickets import ticket_create

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_owner_exports_watches_progress_downloads_and_the_manifest_verifies(
    live, browser, worker, tmp_path
):
    server, committed = live
    system = committed.system("golf", owner="gina@golf.example")
    with in_schema(system):
        owner = User.objects.get(email="gina@golf.example")
        for n in range(25):
            ticket_create(
                actor=owner,
                subject=f"Printer on floor {n}",
                description="Paper jam again. " * 40,
                files=[SimpleUploadedFile(f"log-{n}.txt", f"line {n}\n".encode() * 4000)],
            )
    host = "golf.localhost"
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)

    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill("gina@golf.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Export").click()
    page.get_by_text("No export yet.").wait_for()
    assert_accessible(page)

    # Hold the worker half-way (a lock on a table it reads late) so the bar is seen moving.
    blocker = psycopg.connect(database_url(), autocommit=False)
    try:
        blocker.execute("LOCK TABLE public.legal_takedown IN ACCESS EXCLUSIVE MODE")
        page.get_by_role("button", name="Start an export").click()
        bar = page.locator("progress")
        bar.wait_for()
        assert page.get_by_role("button", name="Start an export").is_disabled()
        # The script polls: the bar and its label follow the worker without a reload.
        page.wait_for_function("() => document.querySelector('progress').value > 0")
        assert 0 < int(page.locator(".export-percent").inner_text()) < 100
        assert page.locator(".export-stage").inner_text()  # what it is writing now
    finally:
        blocker.rollback()
        blocker.close()

    # ...and reloads the page by itself when the archive is ready.
    download_link = page.get_by_role("link", name="Download")
    download_link.wait_for(timeout=90_000)
    export = Export.objects.get(system=system)
    assert export.status == Export.Status.READY
    assert export.sha256 in page.content()

    with page.expect_download() as event:
        download_link.click()
    saved = tmp_path / "golf.zip"
    event.value.save_as(saved)
    with ZipFile(saved) as zipped:
        manifest = archive.verify(zipped)
        names = zipped.namelist()
    assert manifest["files"]["data/tickets.ticket.json"]["rows"] == 25
    assert "tickets.csv" in names
    assert sum(1 for name in names if name.startswith("files/tickets/")) == 25
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == export.sha256
    context.close()
