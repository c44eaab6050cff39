"""With no analytics configured, a real browser talks to nobody but us."""

from urllib.parse import urlsplit

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_no_page_connects_anywhere_else(live, browser):
    server, committed = live
    committed.system("quiet", owner="owner@quiet.example")
    context = browser.new_context()
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))

    for url in (
        server.url("localhost", "/"),
        server.url("localhost", "/signup/"),
        server.url("localhost", "/privacy/"),
    ):
        page.goto(url)
    page.goto(server.url("quiet.localhost", "/accounts/login/"))
    page.get_by_label("Email").fill("owner@quiet.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome").wait_for()
    for path in (
        "/tickets/",
        "/tickets/new/",
        "/settings/people/",
        "/settings/",
        "/account/security/",
    ):
        page.goto(server.url("quiet.localhost", path))

    assert hosts == {"localhost", "quiet.localhost"}
    context.close()
