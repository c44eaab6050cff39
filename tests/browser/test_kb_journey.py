"""A visitor finds a Vietnamese article typed without diacritics and answers "did this
help?"; a member typing a ticket's subject is offered the matching article; an agent links
it in a reply in one click."""

import pytest

from accounts.models import User
from tests.factories import PASSWORD
from tests.support.browser import assert_accessible
from tests.support.tenancy import in_schema
from tickets.kb import services
from tickets.services.tickets import ticket_create

pytestmark = pytest.mark.browser


def _login(page, server, host, email):
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome").wait_for()


def test_help_center_suggestions_and_article_links(live, browser, settings):
    server, committed = live
    settings.SITE_PORT = server.port
    system = committed.system("kilo", member="mo@kilo.example", agent="al@kilo.example")
    host = "kilo.localhost"
    with in_schema(system):
        agent_user = User.objects.get(email="al@kilo.example")
        section = services.section_create(actor=agent_user, name="Thanh toán")
        article = services.article_create(
            actor=agent_user,
            section=section,
            title="Cách xem hóa đơn",
            body="Vào **Cài đặt → Thanh toán**.",
            visibility="public",
            language="vi",
        )
        ticket = ticket_create(
            actor=User.objects.get(email="mo@kilo.example"),
            subject="Không thấy hóa đơn",
            description="Ở đâu?",
        )
    visitor, member, agent = (browser.new_context().new_page() for _ in range(3))
    for page in (visitor, member, agent):
        page.set_default_timeout(15_000)

    # A visitor (no account) searches without diacritics and answers the question.
    visitor.goto(server.url(host, "/help/"))
    assert_accessible(visitor)
    visitor.get_by_label("Search the help center").fill("hoa don")
    visitor.get_by_role("button", name="Search").click()
    visitor.get_by_role("link", name="Cách xem hóa đơn").click()
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Yes").click()
    visitor.get_by_text("Thank you for your answer.").wait_for()

    # A member typing a subject is offered the article (the script asks as he types).
    _login(member, server, host, "mo@kilo.example")
    member.goto(server.url(host, "/tickets/new/"))
    member.get_by_label("Subject").press_sequentially("xem hóa", delay=30)
    suggestion = member.locator(".kb-suggest").get_by_role("link", name="Cách xem hóa đơn")
    suggestion.wait_for()
    assert_accessible(member)

    # An agent links it in a reply in one click, at the cursor.
    _login(agent, server, host, "al@kilo.example")
    agent.goto(server.url(host, f"/tickets/{ticket.number}/"))
    agent.get_by_label("Message").fill("Xem: ")
    agent.get_by_label("Link an article").fill("hóa đơn")
    agent.get_by_role("button", name="Cách xem hóa đơn").click()
    url = f"http://{host}:{server.port}{article.get_absolute_url()}"
    assert agent.get_by_label("Message").input_value() == f"Xem: [Cách xem hóa đơn]({url})"
    assert_accessible(agent)
    for page in (visitor, member, agent):
        page.context.close()
