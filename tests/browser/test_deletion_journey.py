"""The owner deletes his help desk: he schedules it (password and typed address), undoes
it from the emailed link, schedules it again; the banner follows him on every page; after
the grace period the subdomain answers 404, and after the job too."""

import re
from datetime import timedelta

import pytest
import time_machine

from tenants.lifecycle import deletion
from tenants.lifecycle.models import SystemDeletion
from tenants.models import ScheduledDeletion
from tests.factories import PASSWORD
from tests.support.browser import assert_accessible, link_from_mail

pytestmark = pytest.mark.browser


def _schedule(page, server, host):
    page.goto(server.url(host, "/settings/"))
    page.get_by_role("link", name="Delete this help desk…").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Type the address of this help desk").fill("golf")
    page.get_by_role("button", name="Delete Golf Desk").click()
    page.get_by_text("We emailed olive@golf.example a link to undo it.").wait_for()


def test_owner_schedules_undoes_schedules_again_and_the_address_goes(live, browser, settings):
    server, committed = live
    settings.SITE_PORT = server.port
    system = committed.system("golf", owner="olive@golf.example")
    host = "golf.localhost"
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill("olive@golf.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome").wait_for()

    # A wrong address keeps what was typed and schedules nothing.
    page.goto(server.url(host, "/settings/delete/"))
    assert_accessible(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Type the address of this help desk").fill("golf-typo")
    page.get_by_role("button", name="Delete Golf Desk").click()
    page.get_by_text("Type golf to confirm.").wait_for()
    assert page.get_by_label("Type the address of this help desk").input_value() == "golf-typo"
    assert not ScheduledDeletion.objects.filter(system=system).exists()

    # Scheduled: the banner is on every page, with the undo button.
    _schedule(page, server, host)
    assert_accessible(page)  # the pending page, with its banner
    page.goto(server.url(host, "/tickets/"))
    banner = page.get_by_role("alert")
    assert "This help desk will be deleted on" in banner.inner_text()

    # Undone from the emailed link (GET asks, the button undoes).
    link = link_from_mail(
        r"http://golf\.localhost:\d+/settings/delete/undo/\S+/", to="olive@golf.example"
    )
    page.goto(link)
    page.locator("#main").get_by_role("button", name="Undo the deletion").click()
    page.get_by_text("The deletion is undone: Golf Desk stays.").wait_for()
    assert page.get_by_role("alert").count() == 0
    page.goto(link)
    page.get_by_text("This link no longer works").wait_for()

    # Scheduled again; the banner's button would undo it too.
    _schedule(page, server, host)
    page.goto(server.url(host, "/"))
    assert page.get_by_role("alert").get_by_role("button", name="Undo the deletion").count() == 1
    pending = ScheduledDeletion.objects.get(system=system, cancelled_at__isnull=True)

    # After the grace period the address answers 404, before and after the job runs.
    with time_machine.travel(pending.due_at + timedelta(minutes=1), tick=True):
        response = page.goto(server.url(host, "/"))
        assert response.status == 404
        record = deletion.deletion_carry_out(deletion_id=pending.pk)
    assert record is not None
    response = page.goto(server.url(host, "/accounts/login/"))
    assert response.status == 404
    assert re.search("not found|no help desk", page.content(), re.IGNORECASE)
    assert SystemDeletion.objects.filter(slug="golf").count() == 1
    context.close()
