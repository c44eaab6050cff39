"""The demo System, as a person meets it in a real browser."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from tenants.management.commands.demo import DEMO_PASSWORD, OPERATOR_EMAIL

pytestmark = pytest.mark.browser


def test_a_person_opens_the_demo_system_logs_in_and_sees_the_dashboard(live, page):
    server, _committed = live
    with override_settings(DEBUG=True):  # the demo refuses to run in production
        call_command("demo", slug="acme", stdout=open("/dev/null", "w"))  # noqa: SIM115
    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))

    page.goto(server.url("acme.localhost", "/"))

    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill("agent@acme.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url(server.url("acme.localhost", "/"))
    assert page.get_by_role("heading", name="Welcome, Ava").is_visible()
    assert "Acme Support" in page.locator("header").inner_text()
    assert problems == []  # no CSP violations, no missing assets


def test_an_unknown_subdomain_shows_the_not_found_page(live, page):
    server, _committed = live

    response = page.goto(server.url("nobody-here.localhost", "/"))

    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()


def test_the_demo_operator_enters_admin_with_the_printed_code(live, page):
    server, _committed = live
    with override_settings(DEBUG=True):
        call_command("demo", slug="acme", stdout=io.StringIO())
    code = io.StringIO()

    page.goto(server.url("localhost", "/admin/"))
    page.get_by_label("Email").fill(OPERATOR_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Two-Factor Authentication").wait_for()
    with override_settings(DEBUG=True):
        call_command("demo", code=True, stdout=code)
    page.get_by_label("Code").fill(code.getvalue().strip())
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url(server.url("localhost", "/admin/"))
    assert page.get_by_role("heading", name="Systems, customers and money").is_visible()
