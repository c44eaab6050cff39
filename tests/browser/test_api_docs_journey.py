"""The API's interactive docs in a real browser: signed in, the page runs under our CSP
(no violation), loads nothing from elsewhere, and "Try it out" with a token lists the
System's tickets."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from accounts.apitokens.models import Scope
from accounts.apitokens.services import api_token_create
from accounts.models import User
from tests.factories import PASSWORD
from tests.support.tenancy import in_schema
from tickets.services.tickets import ticket_create

pytestmark = pytest.mark.browser


def test_a_developer_tries_the_api_from_its_docs(live, browser):
    server, committed = live
    system = committed.system("devdocs", owner="owner@devdocs.example")
    with in_schema(system):
        owner = User.objects.get(email="owner@devdocs.example")
        ticket_create(actor=owner, subject="Seen through the docs", description="x")
        secret = api_token_create(actor=owner, name="Docs", scope=Scope.READ).secret
    context = browser.new_context()
    page = context.new_page()
    hosts: set[str] = set()
    violations: list[str] = []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(server.url("devdocs.localhost", "/accounts/login/?next=/api/v1/docs"))
    page.get_by_label("Email").fill("owner@devdocs.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator(".swagger-ui .info .title").get_by_text("Service Desk API").wait_for()
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".auth-container input").first.fill(secret)
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.locator(".auth-btn-wrapper button.btn-done").click()
    page.locator("#operations-tickets-tickets_api_routes_list_tickets").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".responses-wrapper .live-responses-table").get_by_text(
        "Seen through the docs"
    ).first.wait_for()

    assert violations == []
    assert hosts == {"devdocs.localhost"}
    context.close()
