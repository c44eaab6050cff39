"""An agent's day in Chromium: she opens a shared saved view, applies a macro to its three
tickets at once, answers one with a canned response whose placeholders fill in as she
inserts it, and sees her colleague on the same ticket — his reply, written while hers went
out, is held back with the warning until he chooses to send it anyway."""

import re

import pytest

from accounts.models import Role, User
from accounts.services.seats import user_register
from tests.factories import PASSWORD, accept_current_terms
from tests.support.browser import assert_accessible
from tests.support.tenancy import in_schema
from tickets.models import CannedResponse, Macro, Reply, SavedView, Status, Ticket, TicketEvent
from tickets.services import tickets as ticket_services

pytestmark = pytest.mark.browser


def _login(page, server, host, email):
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome").wait_for()


def _desk(committed):
    system = committed.system("india", member="mo.lee@india.example")
    with in_schema(system):
        people = {}
        for email, name in (("ada@india.example", "Ada Agent"), ("ben@india.example", "Ben Berg")):
            people[email] = user_register(
                email=email, full_name=name, role=Role.AGENT, password=PASSWORD
            )
            accept_current_terms(people[email])
        ada = people["ada@india.example"]
        mo = User.objects.get(email="mo.lee@india.example")
        mo.full_name = "Mo Lee"
        mo.save(update_fields=["full_name"])
        vpn = [
            ticket_services.ticket_create(
                actor=ada, subject=subject, description="It drops.", requester=mo, tags=["vpn"]
            )
            for subject in ("VPN drops at 9", "VPN slow from home", "VPN refuses my token")
        ]
        ticket_services.ticket_create(actor=mo, subject="Printer jam", description="Tray 2.")
        SavedView.objects.create(name="VPN trouble", query="tag=vpn")
        Macro.objects.create(
            name="Ask for a screenshot",
            body="Could you send a screenshot of the error, {{ requester.first_name }}?",
            status=Status.PENDING,
            tags="needs-info",
        )
        CannedResponse.objects.create(
            name="Greeting",
            body="Hi {{ requester.first_name }}, {{ agent.name }} here about #{{ ticket.number }}.",
        )
    return system, vpn


def test_an_agent_works_a_saved_view_with_a_macro_a_canned_response_and_a_colleague(
    live, browser, settings
):
    server, committed = live
    settings.SITE_PORT = server.port
    system, vpn = _desk(committed)
    host = "india.localhost"
    contexts = [browser.new_context(), browser.new_context()]
    ada, ben = (context.new_page() for context in contexts)
    for page, email in ((ada, "ada@india.example"), (ben, "ben@india.example")):
        page.set_default_timeout(15_000)
        _login(page, server, host, email)

    # The shared view, with its live count, from the list's sidebar.
    ada.goto(server.url(host, "/tickets/"))
    views = ada.get_by_role("navigation", name="Views")
    view_link = views.get_by_role("link", name=re.compile(r"VPN trouble"))
    assert view_link.inner_text().split() == ["VPN", "trouble", "3"]
    view_link.click()
    ada.wait_for_url(re.compile(r"tag=vpn"))
    rows = ada.locator("table.ticket-table tbody tr")
    assert rows.count() == 3 and "Printer jam" not in ada.content()
    assert_accessible(ada)

    # The macro on all three at once.
    ada.get_by_label("Select all tickets on this page").check()
    ada.get_by_label("With the ticked tickets:").select_option("macro")
    ada.get_by_label("Macro").select_option(label="Ask for a screenshot")
    ada.locator("#bulk-form").get_by_role("button", name="Apply").click()
    ada.get_by_text("Macro “Ask for a screenshot” applied to 3 tickets.").wait_for()
    with in_schema(system):
        for ticket in Ticket.objects.filter(pk__in=[t.pk for t in vpn]):
            assert ticket.status == Status.PENDING
            assert set(ticket.tags.values_list("name", flat=True)) == {"vpn", "needs-info"}
            asked = Reply.objects.get(ticket=ticket)
            assert asked.body == "Could you send a screenshot of the error, Mo?"
            assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.MACRO).exists()

    # Ben opens the first one and starts a reply; Ada, on the same ticket, sees him there.
    first = vpn[0]
    url = server.url(host, f"/tickets/{first.number}/")
    ben.goto(url)
    ben.get_by_label("Message").fill("Restarting the VPN gateway now.")
    ada.goto(url)
    presence = ada.locator("#presence")
    presence.get_by_text(re.compile(r"Ben Berg is (viewing|typing a reply)")).wait_for()

    # Ada answers with the greeting: found by name as she types, filled in for this ticket.
    picker = ada.get_by_role("combobox", name="Insert a canned response")
    picker.fill("gree")
    ada.get_by_role("option", name=re.compile("Greeting")).wait_for()
    picker.press("Enter")
    message = ada.get_by_label("Message")
    assert message.input_value().startswith(f"Hi Mo, Ada Agent here about #{first.number}.")
    ada.get_by_role("button", name="Send", exact=True).click()
    ada.get_by_text("Reply sent.").wait_for()

    # Ben's reply crossed hers: not sent, his text kept, hers named; he sends it anyway.
    ben.get_by_role("button", name="Send", exact=True).click()
    warning = ben.locator("#reply-crossed")
    warning.wait_for()
    assert "Ada Agent" in warning.inner_text() and "Hi Mo" in warning.inner_text()
    assert ben.get_by_label("Message").input_value() == "Restarting the VPN gateway now."
    assert_accessible(ben)
    ben.get_by_role("button", name="Send anyway").click()
    ben.get_by_text("Reply sent.").wait_for()
    with in_schema(system):
        bodies = list(
            Reply.objects.filter(ticket=first).order_by("created_at").values_list("body", flat=True)
        )
    assert bodies[1].startswith("Hi Mo, Ada Agent here")
    assert bodies[2] == "Restarting the VPN gateway now."
    for context in contexts:
        context.close()
