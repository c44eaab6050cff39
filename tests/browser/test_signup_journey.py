"""A company signs up, lands in its new System, invites an agent who joins."""

import pytest

from tenants.services import pool_refill
from tests.support.browser import assert_accessible, link_from_mail

pytestmark = pytest.mark.browser

PASSWORD = "a-long-unusual-passphrase"


def test_signup_confirm_land_invite_accept_login_and_count_seats(live, browser, settings):
    server, _committed = live
    settings.SITE_PORT = server.port  # links in emails point at the live server
    pool_refill(size=1)  # as in production: a ready schema waits (made here, dropped after)
    # The refill a claim queues runs eagerly here, inside the confirming request: in production
    # a worker makes the next schema while the owner is already in. Keep it out of his wait.
    settings.SYSTEM_POOL_SIZE = 0
    owner_context, agent_context = browser.new_context(), browser.new_context()
    owner, agent = owner_context.new_page(), agent_context.new_page()
    for page in (owner, agent):
        page.set_default_timeout(15_000)
    problems: list[str] = []
    for page in (owner, agent):
        page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))

    # A visitor signs up on the public site; the live check answers as he types.
    owner.goto(server.url("localhost", "/signup/"))
    assert_accessible(owner)
    owner.get_by_label("Company name").fill("Delta Freight")
    owner.get_by_label("Address of your help desk").fill("admin")
    owner.get_by_text("“admin” is reserved.").wait_for()
    owner.get_by_label("Address of your help desk").fill("delta-freight")
    owner.get_by_text("delta-freight.localhost is available.").wait_for()
    owner.get_by_label("Your name").fill("Dana Delta")
    owner.get_by_label("Work email").fill("dana@delta.example")
    owner.get_by_label("Password").fill(PASSWORD)
    owner.get_by_label("I accept the terms of service").check()
    owner.get_by_role("button", name="Create my help desk").click()
    owner.get_by_role("heading", name="Check your email").wait_for()

    # He confirms from the email and lands, signed in, on his own subdomain.
    owner.goto(link_from_mail(r"http://localhost:\d+/signup/confirm/\S+/", to="dana@delta.example"))
    owner.get_by_role("button", name="Create my help desk").click()
    owner.get_by_role("heading", name="is ready").wait_for()
    assert "/welcome/" not in owner.url
    owner.get_by_role("button", name="Open ").click()
    owner.get_by_role("heading", name="Welcome, Dana").wait_for()
    assert owner.url == server.url("delta-freight.localhost", "/")

    # He invites an agent.
    owner.get_by_role("link", name="Settings", exact=True).click()
    owner.get_by_role("navigation", name="Settings").get_by_role("link", name="People").click()
    assert_accessible(owner)
    owner.get_by_label("Email address").fill("ari@delta.example")
    owner.get_by_label("Role").select_option("agent")
    owner.get_by_role("button", name="Send invitation").click()
    owner.get_by_text("Invitation sent to ari@delta.example.").wait_for()

    # The agent accepts in another browser, then signs in again by himself.
    agent.goto(
        link_from_mail(r"http://delta-freight\.localhost:\d+/invite/\S+/", to="ari@delta.example")
    )
    assert "Dana Delta invited" in agent.content()
    assert_accessible(agent)
    agent.get_by_label("Your name").fill("Ari Agent")
    agent.get_by_label("Password", exact=True).fill(PASSWORD)
    agent.get_by_label("Password again").fill(PASSWORD)
    agent.get_by_label("I accept the terms of service").check()
    agent.get_by_role("button", name="Join").click()
    agent.get_by_role("heading", name="Welcome, Ari").wait_for()
    agent.locator("nav[aria-label=Main] summary").click()  # the person menu
    agent.get_by_role("button", name="Log out").click()
    agent.goto(server.url("delta-freight.localhost", "/accounts/login/"))
    agent.get_by_label("Email").fill("ari@delta.example")
    agent.get_by_label("Password").fill(PASSWORD)
    agent.get_by_role("button", name="Sign In").click()
    agent.get_by_role("heading", name="Welcome, Ari").wait_for()

    # The owner sees two seats used.
    owner.reload()
    assert "2 of 5 seats used" in " ".join(owner.locator("#seats-heading + p").inner_text().split())
    assert owner.locator("meter").get_attribute("value") == "2"
    assert problems == []
    owner_context.close()
    agent_context.close()
