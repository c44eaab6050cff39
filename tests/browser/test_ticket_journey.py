"""A member raises a ticket with a screenshot and a Drive link; an agent finds it, answers
and notes; the member sees the answer (never the note), in the page and in his mail."""

import pytest
from django.core import mail

from tests.factories import PASSWORD
from tests.support.browser import assert_accessible
from tests.tickets.conftest import png_bytes

pytestmark = pytest.mark.browser


def _login(page, server, host, email):
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome").wait_for()


def test_member_raises_agent_answers_member_sees_reply_not_note_and_closes(
    live, browser, settings, tmp_path
):
    server, committed = live
    settings.SITE_PORT = server.port
    committed.system("echo", member="mel@echo.example", agent="ash@echo.example")
    host = "echo.localhost"
    screenshot = tmp_path / "error-screen.png"
    screenshot.write_bytes(png_bytes((320, 200)))
    member_context, agent_context = browser.new_context(), browser.new_context()
    member, agent = member_context.new_page(), agent_context.new_page()
    for page in (member, agent):
        page.set_default_timeout(15_000)

    # The member raises a ticket with a screenshot and a Google Drive link.
    _login(member, server, host, "mel@echo.example")
    member.get_by_role("link", name="New ticket").first.click()
    assert_accessible(member)
    member.get_by_label("Subject").fill("Payroll export fails")
    member.get_by_label("Description").fill(
        "The quokka export stops at 80%. Log: https://drive.google.com/file/d/1AbC/view"
    )
    member.get_by_label("Attach files").set_input_files(str(screenshot))
    member.get_by_role("button", name="Raise the ticket").click()
    member.get_by_text("is raised").wait_for()
    ticket_url = member.url
    image = member.get_by_role("img", name="error-screen.png")
    image.wait_for()
    # Decoded, not only in the page: the browser got real image bytes from the file view.
    member.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert "Google Drive file" in member.locator(".link-card").inner_text()

    # The agent finds it by a word of the body, answers, and adds an internal note.
    _login(agent, server, host, "ash@echo.example")
    agent.goto(server.url(host, "/tickets/"))
    agent.get_by_label("Search tickets").fill("quokka")
    agent.get_by_role("button", name="Search").click()
    assert agent.locator(".search-snippet mark").first.inner_text().lower() == "quokka"
    agent.get_by_role("link", name="Payroll export fails").click()
    assert_accessible(agent)
    mail.outbox.clear()
    agent.get_by_label("Message").fill("Please restart the export after 18:00.")
    agent.get_by_role("button", name="Send", exact=True).click()
    agent.get_by_text("Reply sent.").wait_for()
    agent.get_by_label("Internal note").check()
    agent.get_by_label("Message").fill("Secret: the payroll vendor has an outage.")
    agent.get_by_role("button", name="Send", exact=True).click()
    agent.get_by_text("Internal note added.").wait_for()

    # The member sees the reply, not the note; his email has no note either.
    member.goto(ticket_url)
    conversation = member.locator(".timeline").inner_text()
    assert "Please restart the export" in conversation
    assert "Secret" not in member.content()
    to_member = [m for m in mail.outbox if m.to == ["mel@echo.example"]]
    assert len(to_member) == 1
    assert "Please restart the export" in to_member[0].body
    assert all("Secret" not in m.body for m in mail.outbox)

    # He closes it.
    member.get_by_role("button", name="Close the ticket").click()
    member.get_by_text("is closed").wait_for()
    assert member.locator("main header .status").inner_text() == "Closed"
    member_context.close()
    agent_context.close()
