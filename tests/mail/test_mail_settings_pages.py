"""The Email settings page: the support address, who may open tickets by mail, and
forwarding addresses confirmed by a mail that comes back through the forwarding."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import AuditEvent
from tests.mail.support import support_of
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.mail.models import ForwardingAddress, InboundMessage, MailSettings, WhoMayWrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(system_a, admin_a):
    return client_for(system_a, admin_a)


def test_the_page_shows_the_support_address_and_the_default_choice(system_a, admin_client):
    response = admin_client.get("/settings/email/")

    assert response.status_code == 200
    page = response.content.decode()
    assert support_of(system_a) in page
    assert re.search(r'<input[^>]*value="people"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="anyone"[^>]*checked', page)
    assert "forwarding" in page.lower()


@pytest.mark.parametrize("role", ["agent", "member"])
def test_agents_and_members_may_not_open_it(request, system_a, role):
    client = client_for(system_a, request.getfixturevalue(f"{role}_a"))

    assert client.get("/settings/email/").status_code == 403
    assert client.get("/settings/email/messages/").status_code == 403
    assert client.post("/settings/email/", {"who_may_write": "anyone"}).status_code == 403
    assert client.post("/settings/email/forwarding/", {"address": "x@y.example"}).status_code == 403
    with in_schema(system_a):
        assert not MailSettings.objects.filter(who_may_write=WhoMayWrite.ANYONE).exists()
        assert not ForwardingAddress.objects.exists()


def test_system_b_user_gets_nothing(system_a, system_b, user_b):
    client = client_for(system_b, user_b)  # signed in at B, asking A's host
    for path in ("/settings/email/", "/settings/email/messages/"):
        response = client.get(path, HTTP_HOST=host_of(system_a))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert support_of(system_a) not in response.content.decode()


def test_who_may_write_is_saved_and_audited(system_a, admin_client, admin_a):
    response = admin_client.post("/settings/email/", {"who_may_write": "anyone"}, follow=True)

    assert "is saved" in response.content.decode()
    with in_schema(system_a):
        assert MailSettings.objects.get().who_may_write == WhoMayWrite.ANYONE
        event = AuditEvent.objects.get(action=AuditEvent.Action.SETTINGS_CHANGED)
        assert event.detail == {"who_may_write": ["people", "anyone"]}
        assert event.actor_id == admin_a.pk


def test_a_bad_choice_is_refused_and_changes_nothing(system_a, admin_client):
    response = admin_client.post("/settings/email/", {"who_may_write": "everybody"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with in_schema(system_a):
        assert not MailSettings.objects.filter(who_may_write="everybody").exists()


def test_a_bad_forwarding_address_keeps_what_was_typed(system_a, admin_client):
    response = admin_client.post("/settings/email/forwarding/", {"address": "help-at-acme"})

    assert response.status_code == 400
    assert 'value="help-at-acme"' in response.content.decode()
    with in_schema(system_a):
        assert not ForwardingAddress.objects.exists()


def test_our_own_address_is_not_a_forwarding_address(system_a, admin_client):
    response = admin_client.post("/settings/email/forwarding/", {"address": support_of(system_a)})

    assert response.status_code == 400
    assert "address of Service Desk itself" in response.content.decode()


def test_forwarding_is_confirmed_when_the_confirmation_mail_comes_back(
    system_a, admin_client, deliver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/settings/email/forwarding/", {"address": "Help@Acme.example"}, follow=True
        )
    page = response.content.decode()
    assert "help@acme.example" in page
    assert "waiting for the confirmation mail" in page
    (confirmation,) = mail.outbox
    assert confirmation.to == ["help@acme.example"]
    with in_schema(system_a):
        forwarding = ForwardingAddress.objects.get()
        assert len(forwarding.token) == 32
        assert f"fwd-confirm-{forwarding.token}" in confirmation.subject
        assert AuditEvent.objects.filter(target_label="help@acme.example").exists()
    assert "forwarding isn't set up yet" in confirmation.body

    # The company's mail server forwards it to the support address.
    deliver(confirmation.message().as_bytes(), to=[support_of(system_a)])

    with in_schema(system_a):
        assert ForwardingAddress.objects.get().verified_at is not None
        assert InboundMessage.objects.get().status == InboundMessage.Status.VERIFICATION
    page = admin_client.get("/settings/email/").content.decode()
    assert "confirmed on" in page
    assert "waiting for the confirmation mail" not in page


def test_resending_is_rate_limited(system_a, admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/settings/email/forwarding/", {"address": "help@acme.example"})
    with in_schema(system_a):
        pk = ForwardingAddress.objects.get().pk

    with django_capture_on_commit_callbacks(execute=True):
        first = admin_client.post(f"/settings/email/forwarding/{pk}/resend/", follow=True)
        second = admin_client.post(f"/settings/email/forwarding/{pk}/resend/", follow=True)

    assert "sent to help@acme.example again" in first.content.decode()
    assert "wait a minute" in second.content.decode()
    assert len(mail.outbox) == 2  # the first, and one resend


def test_removing_a_forwarding_address(system_a, admin_client):
    admin_client.post("/settings/email/forwarding/", {"address": "help@acme.example"})
    with in_schema(system_a):
        pk = ForwardingAddress.objects.get().pk

    response = admin_client.post(f"/settings/email/forwarding/{pk}/remove/", follow=True)

    assert "no longer listed" in response.content.decode()
    with in_schema(system_a):
        assert not ForwardingAddress.objects.exists()
        assert AuditEvent.objects.filter(
            detail__forwarding_address=["help@acme.example", ""]
        ).exists()


def test_the_page_costs_the_same_with_many_forwarding_addresses(
    system_a, admin_client, admin_a, django_assert_max_num_queries
):
    admin_client.get("/settings/email/")  # the first request of a session caches its checks
    with django_assert_max_num_queries(7) as few:
        assert admin_client.get("/settings/email/").status_code == 200
    with in_schema(system_a):
        for n in range(8):
            ForwardingAddress.objects.create(address=f"f{n}@acme.example", token=f"{n:032x}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get("/settings/email/").status_code == 200
