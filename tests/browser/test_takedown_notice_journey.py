"""An authority's notice reaches the operator from outside: he records it with its document
and takes the file it names down; the System's admin reads what was removed and why (not
the sender's private contact) and sends a counter-notice; the operator reads it on the
notice and restores the file, which downloads again."""

import pytest
from django.core import mail

from accounts.models import User
from legal.models import TakedownNotice
from tests.factories import PASSWORD
from tests.support.browser import assert_accessible, operator_sign_in
from tests.support.tenancy import in_schema
from tests.tickets.conftest import upload
from tickets.services.tickets import ticket_create

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
STATUS = "url => fetch(url).then(response => response.status)"


def test_notice_takedown_counter_notice_restore(live, browser):
    server, committed = live
    system = committed.system("hotel", owner="olga@hotel.example", member="mo@hotel.example")
    with in_schema(system):
        member = User.objects.get(email="mo@hotel.example")
        ticket = ticket_create(
            actor=member,
            subject="Training material",
            description="The course video notes",
            files=[upload("course.txt", b"chapter one, copied from a book")],
        )
        file_id = ticket.attachments.get().pk
    host = "hotel.localhost"
    owner_ctx, operator_ctx = browser.new_context(), browser.new_context()
    page, admin = owner_ctx.new_page(), operator_ctx.new_page()
    for p in (page, admin):
        p.set_default_timeout(15_000)

    # The operator records the authority's notice, with its document, naming the file.
    operator_sign_in(admin, server, groups=("Trust & safety",))
    admin.goto(server.url("localhost", "/admin/legal/takedownnotice/add/"))
    admin.get_by_label("Sender kind").select_option("authority")
    admin.get_by_label("Sender name").fill("Ministry of Information")
    admin.get_by_label("Sender contact").fill("takedowns@ministry.example")
    assert admin.get_by_label("Keep the sender's details private").is_checked()
    admin.get_by_label("Their reference").fill("MI-77/2026")
    admin.get_by_label("Document").set_input_files(
        {"name": "order.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    admin.get_by_label("System").fill("hotel")
    admin.get_by_label("Ticket number").fill(str(ticket.number))
    admin.get_by_label("What it names").select_option("attachment")
    admin.get_by_label("Reply or file id").fill(str(file_id))
    admin.get_by_role("button", name="Save and continue editing").click()
    admin.get_by_role("link", name="order.pdf").wait_for()
    notice = TakedownNotice.objects.get(system=system)
    document = server.url("localhost", f"/admin/legal/takedownnotice/{notice.pk}/document/")
    assert admin.evaluate(STATUS, document) == 200

    # ...and takes the file down from it.
    mail.outbox.clear()
    admin.get_by_role("link", name="Take it down…").click()
    admin.get_by_label("Reason").fill("Unlicensed copy of a protected book")
    admin.get_by_role("button", name="Take the content down").click()
    admin.get_by_text("The content is taken down").wait_for()

    # The owner was told what and why, without the sender's private details.
    told = [m for m in mail.outbox if m.to == ["olga@hotel.example"]]
    assert len(told) == 1 and "Unlicensed copy of a protected book" in told[0].body
    assert "MI-77/2026" in told[0].body and "takedowns@ministry.example" not in told[0].body

    # The owner signs in: the file doesn't download; the takedowns page says what and why.
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill("olga@hotel.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(server.url(host, f"/tickets/{ticket.number}/"))
    file_url = server.url(host, f"/tickets/{ticket.number}/files/{file_id}/")
    assert page.evaluate(STATUS, file_url) == 451
    assert page.evaluate(STATUS, document.replace("//localhost", f"//{host}")) == 404
    page.goto(server.url(host, "/settings/takedowns/"))
    shown = page.content()
    assert "Unlicensed copy of a protected book" in shown
    assert "an authority" in shown and "MI-77/2026" in shown
    assert "takedowns@ministry.example" not in shown and "Ministry of Information" not in shown
    assert_accessible(page)

    # She sends a counter-notice.
    page.get_by_label("Your counter-notice").fill("We bought the licence; invoice 2026-114.")
    page.get_by_role("button", name="Send the counter-notice").click()
    page.get_by_text("Your answer was sent to the operator.").wait_for()

    # The operator reads it on the notice and restores the file.
    admin.goto(server.url("localhost", f"/admin/legal/takedownnotice/{notice.pk}/change/"))
    admin.get_by_text("We bought the licence; invoice 2026-114.").wait_for()
    admin.goto(server.url("localhost", "/admin/legal/takedownnotice/"))
    admin.locator("input[name=_selected_action]").first.check()
    admin.get_by_label("Action:").select_option("restore")
    admin.get_by_role("button", name="Run").click()
    admin.get_by_text("Restored: 1.").wait_for()

    # The file downloads again.
    assert page.evaluate(STATUS, file_url) == 200
    page.goto(server.url(host, f"/tickets/{ticket.number}/"))
    assert "course.txt" in page.content() and "removed by the operator" not in page.content()
    notice.refresh_from_db()
    assert notice.status == TakedownNotice.Status.RESTORED
    owner_ctx.close()
    operator_ctx.close()
