"""A member attaches a file the storage can't hold: the real browser gets the form back
with the reason and what he typed; the owner sees the storage meter on the billing page."""

import pytest

from tenants.models import System
from tests.factories import PASSWORD
from tests.support.browser import assert_accessible

pytestmark = pytest.mark.browser

MB = 1024 * 1024


def _login(page, server, host, email):
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome").wait_for()


def test_a_file_the_storage_cannot_hold_is_refused_and_the_owner_sees_the_meter(
    live, page, tmp_path
):
    server, committed = live
    system = committed.system("juliet", owner="olga@juliet.example", member="max@juliet.example")
    plan = committed.plan(storage_quota_mb=2)
    System.objects.filter(pk=system.pk).update(plan=plan, storage_used=int(1.7 * MB))
    host = "juliet.localhost"

    _login(page, server, host, "max@juliet.example")
    page.goto(server.url(host, "/tickets/new/"))
    page.get_by_label("Subject").fill("Scanner manual")
    page.get_by_label("Description").fill("The whole manual, attached.")
    page.get_by_label("Attach files").set_input_files(
        {"name": "manual.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" * (MB // 2)}
    )
    page.get_by_role("button", name="Raise the ticket").click()

    page.get_by_text("Not enough storage left").wait_for()
    assert page.get_by_label("Subject").input_value() == "Scanner manual"
    assert page.get_by_label("Description").input_value() == "The whole manual, attached."
    assert System.objects.get(pk=system.pk).storage_used == int(1.7 * MB)

    page.goto(server.url(host, "/accounts/logout/"))
    page.get_by_role("button", name="Sign Out").click()
    _login(page, server, host, "olga@juliet.example")
    page.goto(server.url(host, "/billing/"))
    meter = page.get_by_role("meter", name="Storage")
    assert meter.get_attribute("value") == str(int(1.7 * MB))
    page.get_by_text("Storage is nearly full").wait_for()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "billing.png"), full_page=True)
