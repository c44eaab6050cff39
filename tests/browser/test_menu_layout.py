"""The owner's top bar fits one line on a laptop; on a phone no page scrolls sideways and the
settings menu stacks above the page; the person menu works with and without script."""

import pytest

from tests.factories import PASSWORD
from tests.support.browser import assert_accessible

pytestmark = pytest.mark.browser

HOST = "kilo.localhost"
SETTINGS_PATHS = [
    "/settings/",
    "/settings/categories/",
    "/settings/people/",
    "/settings/audit/",
    "/settings/operator-access/",
    "/settings/email/",
    "/settings/email/messages/",
    "/contacts/",
    "/billing/",
    "/settings/export/",
    "/settings/restore/",
    "/trash/",
]


def _login(page, server, email="kim@kilo.example"):
    page.goto(server.url(HOST, "/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome").wait_for()


def _tops(page) -> list[float]:
    return page.eval_on_selector_all(
        "nav[aria-label=Main] > ul > li", "items => items.map(i => i.getBoundingClientRect().top)"
    )


def _one_row(page) -> bool:
    """The menu's items share one top, and the menu sits beside the help desk's name."""
    return page.evaluate(
        """() => {
          const nav = document.querySelector('nav[aria-label=Main]');
          const brand = nav.querySelector('.navbar-brand').getBoundingClientRect();
          const menu = nav.querySelector(':scope > ul').getBoundingClientRect();
          return menu.top < brand.bottom && menu.bottom > brand.top;
        }"""
    )


def _sideways_scroll(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_owners_top_bar_is_one_line_at_1280_and_phones_never_scroll_sideways(live, browser):
    server, committed = live
    committed.system("kilo", owner="kim@kilo.example")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _login(page, server)

    for path in ("/", *SETTINGS_PATHS):
        page.goto(server.url(HOST, path))
        tops = _tops(page)
        assert 3 <= len(tops) <= 5, (path, tops)
        assert len(set(tops)) == 1, (path, tops)
        assert _one_row(page), path
        assert _sideways_scroll(page) == 0, path
        assert_accessible(page)
    # On a laptop the settings menu stands beside the page.
    page.goto(server.url(HOST, "/settings/people/"))
    menu = page.get_by_role("navigation", name="Settings").bounding_box()
    heading = page.get_by_role("heading", name="People", level=1).bounding_box()
    assert menu["x"] + menu["width"] <= heading["x"]

    page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/", "/tickets/", *SETTINGS_PATHS):
        page.goto(server.url(HOST, path))
        assert _sideways_scroll(page) == 0, path
        if path in SETTINGS_PATHS:
            assert_accessible(page)
    # On a phone it stacks above the page.
    page.goto(server.url(HOST, "/settings/people/"))
    menu = page.get_by_role("navigation", name="Settings").bounding_box()
    heading = page.get_by_role("heading", name="People", level=1).bounding_box()
    assert menu["y"] + menu["height"] <= heading["y"]
    context.close()


def test_the_person_menu_opens_and_logs_out_without_script(live, browser):
    server, committed = live
    committed.system("kilo", owner="kim@kilo.example")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _login(page, server)

    log_out = page.get_by_role("button", name="Log out")
    assert not log_out.is_visible()
    page.locator("nav[aria-label=Main] summary").click()
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("heading", name="Your account", exact=True).wait_for()
    page.locator("nav[aria-label=Main] summary").click()
    log_out.click()
    page.get_by_role("button", name="Sign In").wait_for()
    context.close()


def test_the_person_menu_answers_the_keyboard_and_closes_on_escape(live, browser):
    server, committed = live
    committed.system("kilo", owner="kim@kilo.example")
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    _login(page, server)

    summary = page.locator("nav[aria-label=Main] summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("link", name="Your account").is_visible()
    assert_accessible(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert not page.get_by_role("link", name="Your account").is_visible()
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    summary.click()
    page.get_by_role("heading", name="Welcome").click()  # a click elsewhere closes it
    assert not page.get_by_role("link", name="Your account").is_visible()
    context.close()
