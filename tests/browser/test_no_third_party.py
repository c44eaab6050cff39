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


def test_a_configured_provider_is_told_pages_without_their_query(live, browser):
    from legal.models import AnalyticsProvider
    from legal.selectors import providers_forget

    server, committed = live
    committed.system("counted", owner="owner@counted.example")
    provider = AnalyticsProvider.objects.create(
        kind="google_analytics", key="G-TEST123", pages="all", receives="Pages."
    )
    providers_forget()
    try:
        context = browser.new_context()
        page = context.new_page()
        # Nothing leaves the machine: the provider's own script is never fetched.
        page.route("https://**/*", lambda route: route.abort())
        page.goto(server.url("counted.localhost", "/accounts/login/?next=/tickets/%3Fq%3Dsecret"))

        told = page.evaluate(
            "JSON.stringify(window.dataLayer.filter(e => e[0] === 'config')[0][2])"
        )
        context.close()
    finally:
        provider.delete()
        providers_forget()

    assert '"page_location":"http://counted.localhost:' in told
    assert "?" not in told and "secret" not in told
