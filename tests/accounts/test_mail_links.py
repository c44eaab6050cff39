"""Links in account mail come from the configured site address, never from the request."""

import re

from django.core import mail
from django.test import Client, override_settings

from tests.factories import PASSWORD
from tests.support.tenancy import in_schema

FORGED_HOST = "alpha.localhost:6666"


@override_settings(SITE_SCHEME="https", SITE_PORT=8443)
def test_a_password_reset_link_uses_the_configured_address_not_the_request_host(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST=FORGED_HOST)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": agent_a.email})

    (sent,) = [m for m in mail.outbox if m.to == [agent_a.email]]
    links = re.findall(r"\w+://\S+", sent.body)
    assert links, sent.body
    assert all(link.startswith("https://alpha.localhost:8443/") for link in links), links
    assert "6666" not in sent.body and "6666" not in sent.subject


@override_settings(SITE_SCHEME="https", SITE_PORT=8443)
def test_an_email_confirmation_link_uses_the_configured_address(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST=FORGED_HOST)
    client.post("/accounts/login/", {"login": agent_a.email, "password": PASSWORD})
    asked = client.post("/accounts/email/", {"action_add": "", "email": "arno@new.example"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(asked["Location"], {"password": PASSWORD})

    (sent,) = [m for m in mail.outbox if m.to == ["arno@new.example"]]
    assert re.search(r"https://alpha\.localhost:8443/accounts/confirm-email/\S+/", sent.body)
    assert "6666" not in sent.body
    with in_schema(system_a):
        assert system_a.name in sent.body  # the site is named after the System, not the host
