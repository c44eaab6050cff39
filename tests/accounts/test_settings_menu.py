"""The top bar keeps to the daily work; administration lives in one settings area whose side
menu shows each person only the pages he may open, the current one marked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.navigation import SETTINGS_AREA, settings_menu_for_user
from tests.support.navs import navs
from tests.support.tenancy import client_for, in_schema

# Every page of the settings area, by the label of its item in the side menu.
SETTINGS_PAGES = {
    "system_settings": "System settings",
    "category_list": "Categories",
    "sla_settings": "Business hours and SLA",
    "response_list": "Canned responses",
    "macro_list": "Macros",
    "ticket_field_list": "Ticket fields",
    "people": "People",
    "audit_log": "Audit log",
    "operator_access": "Operator access",
    "sso_settings": "Single sign-on",
    "mail_settings": "Email",
    "mail_inbox": "Incoming mail",
    "mail_mailbox": "Mailbox (IMAP)",
    "system_api_tokens": "API tokens",
    "webhook_list": "Webhooks",
    "billing": "Billing",
    "export": "Export",
    "restore_request": "Restore",
    "takedown_list": "Removed content",
    "trash": "Trash",
}
# Pages reached from a settings page, and the item they belong to.
PAGES_WITHIN = {
    "ownership": "System settings",
    "consents": "System settings",
    "terms_status": "System settings",
    "system_delete": "System settings",
    "open_system": "System settings",
    "invite_many": "People",
    "response_create": "Canned responses",
    "macro_create": "Macros",
    "contacts": "Email",
    "webhook_create": "Webhooks",
}
# Reached by a POST only (they redirect back): marked like the pages above.
POSTED_WITHIN = {"mail_mailbox_check": "Mailbox (IMAP)", "mail_mailbox_disable": "Mailbox (IMAP)"}
# Pages agents open from a ticket's reply box, alone (no menu); the menu lists them for those
# who keep the shared ones (tickets.responses).
AGENTS_OPEN_ALONE = {"response_list", "macro_list"}


def _page(system, user, url_name: str):
    return navs(client_for(system, user).get(reverse(url_name)))


def test_the_owners_top_bar_has_five_items_at_most_and_no_administration(system_a, owner_a):
    main = _page(system_a, owner_a, "dashboard")["Main"]

    assert main.items <= 5
    assert len(main.links) - 1 <= 5  # the help desk's name, then the menu
    assert main.texts[1:] == ["Dashboard", "Tickets", "Settings", "Your account"]
    assert main.link("Dashboard").current == "page"
    assert main.link("Settings").href == reverse("system_settings")


def test_the_owners_settings_menu_groups_every_administration_page(system_a, owner_a):
    response = client_for(system_a, owner_a).get(reverse("people"))
    settings = navs(response)["Settings"]

    # Workspace, Help desk, People, Email, Integrations, Billing, Your data
    assert settings.items == 7
    assert settings.texts == list(SETTINGS_PAGES.values())
    for heading in (
        "Workspace",
        "Help desk",
        "People",
        "Email",
        "Integrations",
        "Billing",
        "Your data",
    ):
        assert f">{heading}</span>".encode() in response.content


@pytest.mark.parametrize("url_name,label", SETTINGS_PAGES.items())
def test_each_settings_page_shows_the_side_menu_with_itself_marked(
    system_a, owner_a, url_name, label
):
    page = _page(system_a, owner_a, url_name)

    assert [(link.text, link.current) for link in page["Settings"].current] == [(label, "page")]
    assert page["Settings"].link(label).href == reverse(url_name)
    assert page["Main"].link("Settings").current == "true"


@pytest.mark.parametrize("url_name,label", PAGES_WITHIN.items())
def test_a_page_reached_from_a_settings_page_marks_its_section(system_a, owner_a, url_name, label):
    page = _page(system_a, owner_a, url_name)

    assert [(link.text, link.current) for link in page["Settings"].current] == [(label, "true")]


@pytest.mark.parametrize("url_name,label", POSTED_WITHIN.items())
def test_a_form_posted_from_a_settings_page_belongs_to_its_section(
    system_a, owner_a, url_name, label
):
    with in_schema(system_a):
        menu = settings_menu_for_user(user=owner_a, url_name=url_name)
    marked = [(item.label, item.current) for group in menu.groups for item in group.items]
    assert [pair for pair in marked if pair[1]] == [(label, "true")]


def test_an_admin_sees_all_but_the_owners_settings_and_starts_at_categories(system_a, admin_a):
    page = _page(system_a, admin_a, "dashboard")

    assert "Settings" not in navs(client_for(system_a, admin_a).get("/"))  # no side menu here
    assert page["Main"].link("Settings").href == reverse("category_list")
    settings = _page(system_a, admin_a, "category_list")["Settings"]
    assert settings.texts == [t for t in SETTINGS_PAGES.values() if t != "System settings"]


def test_a_member_sees_no_settings_and_no_trash(system_a, member_a):
    main = _page(system_a, member_a, "dashboard")["Main"]

    assert main.texts[1:] == ["Dashboard", "Tickets", "Your account"]


def test_an_agent_sees_no_settings(system_a, agent_a):
    main = _page(system_a, agent_a, "dashboard")["Main"]

    assert main.texts[1:] == ["Dashboard", "Tickets", "Your account"]


def test_an_agent_the_owner_lets_delete_reaches_the_trash_from_the_top_bar(system_a, agent_a):
    system_a.agents_may_delete = True
    system_a.save(update_fields=["agents_may_delete"])

    main = _page(system_a, agent_a, "dashboard")["Main"]
    trash = _page(system_a, agent_a, "trash")

    assert main.texts[1:] == ["Dashboard", "Tickets", "Trash", "Your account"]
    assert trash["Main"].link("Trash").current == "page"
    assert "Settings" not in trash  # the trash page alone, no menu of pages he can't open


@pytest.mark.parametrize("role", ["owner", "admin", "agent", "member"])
def test_the_menu_offers_only_pages_that_open_for_that_person(
    request, system_a, role, django_assert_max_num_queries
):
    user = request.getfixturevalue(f"{role}_a")
    client = client_for(system_a, user)
    main = navs(client.get("/"))["Main"]
    offered = [link.href for link in main.links[1:]]
    if "Settings" in main.texts:
        offered += [
            link.href for link in navs(client.get(main.link("Settings").href))["Settings"].links
        ]

    for href in offered:
        assert client.get(href).status_code == 200, href
    with in_schema(system_a):
        alone = [reverse(name) for name in AGENTS_OPEN_ALONE] if role == "agent" else []
        hidden = [
            reverse(page.url_name)
            for _, pages in SETTINGS_AREA
            for page in pages
            if reverse(page.url_name) not in [*offered, *alone]
        ]
    for href in hidden:
        assert client.get(href).status_code == 403, href
    for href in alone:
        response = client.get(href)
        assert response.status_code == 200, href
        assert "Settings" not in navs(response)


def test_the_menu_costs_no_query(system_a, owner_a, django_assert_num_queries):
    with in_schema(system_a), django_assert_num_queries(0):
        menu = settings_menu_for_user(user=owner_a, url_name="people")
    assert menu.home == reverse("system_settings")
    assert menu.active


def test_terms_and_privacy_are_in_the_footer_not_the_top_bar(system_a, owner_a, public_client):
    for response in (client_for(system_a, owner_a).get("/"), public_client.get("/")):
        body = response.content.decode()
        footer = body[body.index("<footer") :]
        assert "Terms of service" in footer and "Privacy" in footer
        assert "Terms" not in " ".join(navs(response)["Main"].texts)
