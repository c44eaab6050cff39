"""The footer's language switcher and the language each request is answered in: the
person's choice, else the switcher's cookie, else the browser's, else the System's."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client

from tests.factories import PASSWORD
from tests.support.tenancy import client_for, host_of, in_schema

LOGIN = "/accounts/login/"
SWITCH = "/language/"


def _page_language(response) -> str:
    found = re.search(r'<html lang="([^"]+)">', response.content.decode())
    assert found, "no <html lang> on the page"
    return found.group(1)


def _signed_in_device(system, user, **headers) -> Client:
    """Another browser, signed in with the password (not a copied session)."""
    client = Client(HTTP_HOST=host_of(system), **headers)
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_a_visitor_who_switches_to_vietnamese_gets_a_host_only_cookie_and_pages_in_vi(system_a):
    client = client_for(system_a)

    response = client.post(SWITCH, {"language": "vi", "next": LOGIN})

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "vi"
    assert cookie["domain"] == ""  # host-only: never shared with another System
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    page = client.get(LOGIN)
    assert _page_language(page) == "vi"
    assert page["Content-Language"] == "vi"


def test_every_page_says_its_language_and_varies_on_what_chose_it(system_a):
    response = client_for(system_a).get(LOGIN, HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9")

    assert response["Content-Language"] == "vi"
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary


def test_a_signed_in_persons_choice_is_saved_and_wins_over_the_browser_elsewhere(system_a, agent_a):
    laptop = _signed_in_device(system_a, agent_a)

    response = laptop.post(SWITCH, {"language": "vi", "next": "/"})

    assert response.status_code == 302
    with in_schema(system_a):
        agent_a.refresh_from_db()
    assert agent_a.language == "vi"
    # The next visit, from a browser that asks for English.
    next_visit = laptop.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en")
    assert next_visit["Content-Language"] == "vi"
    # Another device: no cookie of the switcher, an English browser, the person's choice.
    phone = _signed_in_device(system_a, agent_a, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert settings.LANGUAGE_COOKIE_NAME not in phone.cookies
    page = phone.get("/accounts/email/")
    assert _page_language(page) == "vi"
    assert page["Content-Language"] == "vi"


def test_the_browsers_language_wins_over_the_systems_default(system_a):
    system_a.language = "vi"
    system_a.save(update_fields=["language"])
    client = client_for(system_a)

    assert _page_language(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")) == "en"
    # A browser that names no language we offer: the System's default.
    assert _page_language(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="de")) == "vi"


@pytest.mark.parametrize(
    "target",
    ["http://bravo.localhost/", "//evil.example/", "https://evil.example/tickets/", ""],
)
def test_next_to_another_host_is_refused(system_a, target):
    response = client_for(system_a).post(SWITCH, {"language": "vi", "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unknown_language_is_refused_with_a_clear_message_and_changes_nothing(system_a, agent_a):
    client = _signed_in_device(system_a, agent_a)

    response = client.post(SWITCH, {"language": "xx", "next": LOGIN})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert "That language is not offered here." in [
        str(message) for message in get_messages(response.wsgi_request)
    ]
    with in_schema(system_a):
        agent_a.refresh_from_db()
    assert agent_a.language == ""


def test_the_switcher_takes_only_a_post(system_a):
    response = client_for(system_a).get(SWITCH, {"language": "vi", "next": LOGIN})

    assert response.status_code == 405
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
