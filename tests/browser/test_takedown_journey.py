"""A member reports a file; the operator disables it in admin; the file stops downloading
and its place shows the reason; the operator restores it."""

import pytest

from accounts.models import User
from tests.factories import PASSWORD
from tests.support.browser import operator_sign_in
from tests.support.tenancy import in_schema
from tests.tickets.conftest import upload
from tickets.services.tickets import ticket_create

pytestmark = pytest.mark.browser


def test_report_disable_placeholder_restore(live, browser):
    server, committed = live
    system = committed.system("foxtrot", member="mo@foxtrot.example")
    with in_schema(system):
        member = User.objects.get(email="mo@foxtrot.example")
        ticket = ticket_create(
            actor=member,
            subject="Quarterly numbers",
            description="See file",
            files=[upload("numbers.csv", b"q1,q2")],
        )
        file_id = ticket.attachments.get().pk
    host = "foxtrot.localhost"
    member_ctx, operator_ctx = browser.new_context(), browser.new_context()
    page, admin = member_ctx.new_page(), operator_ctx.new_page()
    for p in (page, admin):
        p.set_default_timeout(15_000)

    # The member reports the file.
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill("mo@foxtrot.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(server.url(host, f"/tickets/{ticket.number}/"))
    page.get_by_role("link", name="Report numbers.csv").click()
    page.get_by_label("Invades privacy or discriminates").check()
    page.get_by_label("Anything to add").fill("Salaries of named people")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("The operator of Service Desk will review it.").wait_for()

    # The operator disables it in admin.
    operator_sign_in(admin, server)
    admin.goto(server.url("localhost", "/admin/legal/contentreport/"))
    admin.get_by_role("link", name="Disable the content…").click()
    admin.get_by_label("Reason").fill("Personal data of employees")
    admin.get_by_role("button", name="Disable the content").click()
    admin.get_by_text("The content is disabled.").wait_for()

    # The file no longer downloads; its place shows the reason.
    page.goto(server.url(host, f"/tickets/{ticket.number}/"))
    assert "removed by the operator: Personal data of employees" in page.content()
    file_url = server.url(host, f"/tickets/{ticket.number}/files/{file_id}/")
    # Fetched from the page, with its cookies (Node's resolver knows no *.localhost).
    status = "url => fetch(url).then(response => response.status)"
    assert page.evaluate(status, file_url) == 451

    # The operator restores it; it downloads again.
    admin.goto(server.url("localhost", "/admin/legal/takedown/"))
    admin.locator("input[name=_selected_action]").first.check()
    admin.get_by_label("Action:").select_option("restore")
    admin.get_by_role("button", name="Run").click()
    admin.get_by_text("Restored.").wait_for()
    assert page.evaluate(status, file_url) == 200
    page.reload()
    assert "numbers.csv" in page.content() and "removed by the operator" not in page.content()
    member_ctx.close()
    operator_ctx.close()
