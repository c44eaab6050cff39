"""Wherever a person is stuck, "Contact support" (the operator's support address) is at hand."""

from django.core import mail
from django.test import Client, override_settings

from servicedesk import mail as our_mail
from servicedesk.views import server_error
from tests.support.tenancy import client_for, host_of

LINK = '<a href="mailto:help@desk.example">Contact support</a>'


@override_settings(SUPPORT_EMAIL="help@desk.example")
def test_every_page_footer_links_support(system_a, agent_a):
    pages = [
        Client(HTTP_HOST="localhost").get("/"),
        Client(HTTP_HOST=host_of(system_a)).get("/accounts/login/"),
        client_for(system_a, agent_a).get("/tickets/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert LINK in page.content.decode()


@override_settings(SUPPORT_EMAIL="help@desk.example")
def test_error_pages_link_support(system_a, agent_a, rf):
    missing = client_for(system_a, agent_a).get("/no-such-page/")
    assert missing.status_code == 404
    assert "mailto:help@desk.example" in missing.content.decode()

    failed = server_error(rf.get("/"))
    assert failed.status_code == 500
    assert "mailto:help@desk.example" in failed.content.decode()


@override_settings(SUPPORT_EMAIL="help@desk.example")
def test_every_mail_ends_with_the_support_address(system_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        our_mail.send_templated(
            to=["someone@alpha.example"],
            template="account_claim_confirm",
            context={"dispute": None, "system": system_a, "confirm_url": "x", "days": 3},
            essential=True,
        )

    (sent,) = mail.outbox
    assert sent.body.endswith("-- \nQuestions? Contact support: help@desk.example\n")
