"""The owner asks for a restore; the operator starts it from the request in admin and
confirms it; the owner signs in again and sees it done."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from tenants.backups.models import Backup, Restore
from tenants.backups.services import backups
from tests.backups.conftest import backups_cleanup, fill  # noqa: F401 - a fixture
from tests.factories import PASSWORD
from tests.support.browser import assert_accessible, operator_sign_in
from tests.support.tenancy import in_schema
from tickets.models import Ticket

pytestmark = pytest.mark.browser


@pytest.mark.usefixtures("backups_cleanup")
def test_owner_requests_operator_restores_and_confirms(live, browser):
    server, committed = live
    system = committed.system("golf", owner="olga@golf.example")
    fill(system, tickets=2)
    backup = backups.backup_request(system=system)
    backup.refresh_from_db()
    assert backup.status == Backup.Status.OK
    fill(system, tickets=1, prefix="Broken import")
    host = "golf.localhost"
    owner_ctx, operator_ctx = browser.new_context(), browser.new_context()
    page, admin = owner_ctx.new_page(), operator_ctx.new_page()
    for p in (page, admin):
        p.set_default_timeout(20_000)

    # The owner asks for the backup from before the broken import.
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill("olga@golf.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Restore").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("This field is required.").wait_for()  # said plainly; try again
    page.get_by_label("What went wrong?").fill("An import broke our tickets.")
    page.get_by_label(date_format(timezone.localtime(backup.started_at), "DATETIME_FORMAT")).check()
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Waiting for the operator").wait_for()
    assert_accessible(page)

    # The operator starts the restore from the request, then confirms it.
    operator_sign_in(admin, server)
    admin.goto(server.url("localhost", "/admin/tenants/restorerequest/"))
    admin.get_by_role("link", name="Start the restore…").click()
    admin.get_by_text("A backup of the data as it is now is taken first.").wait_for()
    admin.get_by_role("button", name="Restore golf").click(timeout=120_000)
    admin.get_by_text("Live; previous data kept").wait_for(timeout=120_000)
    admin.goto(server.url("localhost", "/admin/tenants/restore/"))
    admin.locator("input[name=_selected_action]").first.check()
    admin.locator("select[name=action]").select_option("confirm")
    admin.get_by_role("button", name="Run").click()
    admin.get_by_role("button", name="Yes, go ahead").click()
    admin.get_by_text("golf: confirmed.").wait_for()

    # The owner signs in again (sessions are those of the backup) and sees it done.
    page.goto(server.url(host, "/settings/restore/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Email").fill("olga@golf.example")
    page.get_by_role("button", name="Sign In").click()
    page.goto(server.url(host, "/settings/restore/"))
    page.get_by_text("Restored", exact=True).wait_for()
    assert Restore.objects.get(system=system).status == Restore.Status.CONFIRMED
    system.refresh_from_db()
    with in_schema(system):
        assert Ticket.objects.count() == 2
