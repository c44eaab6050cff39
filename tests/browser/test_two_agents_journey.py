"""Two agents work one ticket from pages opened at the same time: neither page silently undoes
the other's change, and when both change the same field the second is asked which to keep."""

import pytest

from accounts.models import Role, User
from accounts.services.seats import user_register
from tests.factories import PASSWORD, accept_current_terms
from tests.support.browser import assert_accessible
from tests.support.tenancy import in_schema
from tickets.models import Priority, Status, TicketEvent
from tickets.services import tickets as ticket_services

pytestmark = pytest.mark.browser


def _login(page, server, host, email):
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome").wait_for()


def test_two_agents_keep_each_others_changes_and_the_second_chooses_on_a_clash(
    live, browser, settings
):
    server, committed = live
    settings.SITE_PORT = server.port
    system = committed.system("golf", member="mo@golf.example")
    with in_schema(system):
        for email, name in (("ada@golf.example", "Ada Agent"), ("ben@golf.example", "Ben Agent")):
            accept_current_terms(
                user_register(email=email, full_name=name, role=Role.AGENT, password=PASSWORD)
            )
        ticket = ticket_services.ticket_create(
            actor=User.objects.get(email="mo@golf.example"),
            subject="VPN drops every hour",
            description="Since Monday.",
        )
        ada_pk, ben_pk = (
            User.objects.get(email=email).pk for email in ("ada@golf.example", "ben@golf.example")
        )
    host = "golf.localhost"
    url = server.url(host, f"/tickets/{ticket.number}/")
    contexts = [browser.new_context(), browser.new_context()]
    ada, ben = (context.new_page() for context in contexts)
    for page, email in ((ada, "ada@golf.example"), (ben, "ben@golf.example")):
        page.set_default_timeout(15_000)
        _login(page, server, host, email)
        page.goto(url)

    # Ada raises the priority; Ben, whose page still says Normal, moves the status.
    ada.get_by_label("Priority").select_option("high")
    ada.get_by_role("button", name="Save changes").click()
    ada.get_by_text("Ticket updated.").wait_for()
    ben.get_by_label("Status").select_option("pending")
    ben.get_by_role("button", name="Save changes").click()
    ben.get_by_text("Ticket updated.").wait_for()

    assert ben.get_by_label("Priority").input_value() == "high"
    assert ben.get_by_label("Status").input_value() == "pending"
    with in_schema(system):
        ticket.refresh_from_db()
        assert (ticket.priority, ticket.status) == (Priority.HIGH, Status.PENDING)
        assert list(
            TicketEvent.objects.filter(ticket=ticket, kind="changed").values_list(
                "field", "actor_id"
            )
        ) == [("priority", ada_pk), ("status", ben_pk)]

    # Both take it, Ada first; Ben's page is from before she did.
    ada.get_by_label("Assignee").select_option(label="Ada Agent")
    ada.get_by_role("button", name="Save changes").click()
    ada.get_by_text("Ticket updated.").wait_for()
    ben.get_by_label("Assignee").select_option(label="Ben Agent")
    ben.get_by_role("button", name="Save changes").click()

    # Ben is asked, with both values and whose change it was; nothing is written for it.
    asked = ben.get_by_role("group", name="Assignee")
    asked.wait_for()
    assert "yours: Ben Agent / now: Ada Agent (changed by Ada Agent at" in asked.inner_text()
    assert ben.get_by_label("Assignee").input_value() == str(ben_pk)  # his choice kept
    assert_accessible(ben)
    with in_schema(system):
        ticket.refresh_from_db()
        assert ticket.assignee_id == ada_pk
        # Ada's page was older than Ben's status change, and left the status alone.
        assert ticket.status == Status.PENDING

    # He keeps his: now it is his change, on the record as his.
    ben.get_by_role("radio", name="Keep yours (Ben Agent)").check()
    ben.get_by_role("button", name="Save changes").click()
    ben.get_by_text("Ticket updated.").wait_for()
    assert "changed assignee from Ada Agent to Ben Agent" in ben.locator(".timeline").inner_text()
    with in_schema(system):
        ticket.refresh_from_db()
        assert (ticket.assignee_id, ticket.priority, ticket.status) == (
            ben_pk,
            Priority.HIGH,
            Status.PENDING,
        )
    for context in contexts:
        context.close()
