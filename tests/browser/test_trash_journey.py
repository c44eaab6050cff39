"""An admin moves a ticket to the trash (a confirm page, no script needed), the member no
longer finds it, the admin restores it from the Trash page, then deletes it for good."""

import pytest

from accounts.models import User
from tests.factories import PASSWORD
from tests.support.browser import assert_accessible
from tests.support.tenancy import in_schema
from tickets.models import Ticket
from tickets.services.tickets import ticket_create

pytestmark = pytest.mark.browser


def _login(page, server, host, email):
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome").wait_for()


def test_admin_trashes_restores_and_deletes_a_ticket_for_good(live, browser):
    server, committed = live
    system = committed.system("hotel", admin="ada@hotel.example", member="max@hotel.example")
    with in_schema(system):
        member = User.objects.get(email="max@hotel.example")
        ticket = ticket_create(actor=member, subject="Leaking tap", description="Room 12")
    host = "hotel.localhost"
    admin_ctx, member_ctx = browser.new_context(), browser.new_context()
    admin, guest = admin_ctx.new_page(), member_ctx.new_page()
    for page in (admin, guest):
        page.set_default_timeout(15_000)
    _login(admin, server, host, "ada@hotel.example")
    _login(guest, server, host, "max@hotel.example")

    admin.goto(server.url(host, f"/tickets/{ticket.number}/"))
    admin.get_by_role("link", name="Move to trash…").click()
    assert_accessible(admin)
    admin.get_by_role("button", name="Move to trash").click()
    admin.get_by_text(f"Ticket #{ticket.number} is in the trash.").wait_for()
    response = guest.goto(server.url(host, f"/tickets/{ticket.number}/"))
    assert response.status == 404

    admin.get_by_role("link", name="Settings", exact=True).click()
    admin.get_by_role("navigation", name="Settings").get_by_role("link", name="Trash").click()
    assert_accessible(admin)
    admin.get_by_role("button", name=f"Restore ticket #{ticket.number}").click()
    admin.get_by_text(f"Ticket #{ticket.number} is back.").wait_for()
    assert guest.goto(server.url(host, f"/tickets/{ticket.number}/")).status == 200

    admin.goto(server.url(host, f"/tickets/{ticket.number}/trash/"))
    admin.get_by_role("button", name="Move to trash").click()
    admin.goto(server.url(host, "/trash/"))
    admin.get_by_role("link", name=f"Delete ticket #{ticket.number} for good").click()
    assert_accessible(admin)
    admin.get_by_role("button", name="Delete for good").click()
    admin.get_by_text(f"Ticket #{ticket.number} is deleted for good.").wait_for()
    admin.get_by_text("No ticket is in the trash.").wait_for()
    with in_schema(system):
        assert not Ticket.objects.filter(pk=ticket.pk).exists()
    admin_ctx.close()
    member_ctx.close()
