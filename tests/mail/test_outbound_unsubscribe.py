"""The unsubscribe link of ticket mail: a GET asks, a one-click POST (RFC 8058) turns that
kind of mail off, and a link of one System means nothing at another."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from tests.mail.outbound_support import contact_ticket, only, reply, sent
from tests.support.tenancy import host_of, in_schema
from tickets.mail.models import MailRecipient
from tickets.models import NotificationPreference

pytestmark = pytest.mark.django_db
EVE = "eve@outside.example"


def _link(message) -> str:
    return urlsplit(message["List-Unsubscribe"].strip("<>")).path


def test_one_click_turns_off_that_kind_of_mail_for_a_person(
    system_a, make_ticket, member_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    path = _link(only(member_a.email))
    # A mail provider posts without cookies or CSRF token.
    anonymous = Client(HTTP_HOST=host_of(system_a), enforce_csrf_checks=True)

    asked = anonymous.get(path)
    assert asked.status_code == 200
    assert "Unsubscribe" in asked.content.decode() and member_a.email in asked.content.decode()
    with in_schema(system_a):
        assert not NotificationPreference.objects.filter(user=member_a).exists()

    done = anonymous.post(path, {"List-Unsubscribe": "One-Click"})

    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    with in_schema(system_a):
        preference = NotificationPreference.objects.get(user=member_a)
    assert (preference.replies, preference.new_tickets, preference.assignments) == (
        False,
        True,
        True,
    )
    mail.outbox.clear()
    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket, body="2")
    assert sent(member_a.email) == []


def test_a_contact_unsubscribing_stops_mail_to_his_address(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = contact_ticket(system_a, django_capture_on_commit_callbacks)
    path = _link(only(EVE))

    response = Client(HTTP_HOST=host_of(system_a)).post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    with in_schema(system_a):
        assert MailRecipient.objects.get(address=EVE).stopped_at is not None
    mail.outbox.clear()
    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    assert sent(EVE) == []


def test_a_link_of_system_a_is_refused_at_system_b(
    system_a, system_b, make_ticket, member_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    path = _link(only(member_a.email))
    at_b = Client(HTTP_HOST=host_of(system_b))

    assert at_b.get(path).status_code == 404
    assert at_b.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 404
    with in_schema(system_a):
        assert not NotificationPreference.objects.exists()


def test_a_forged_or_damaged_link_is_a_404(system_a, member_a):
    client = Client(HTTP_HOST=host_of(system_a))

    assert client.post("/mail/unsubscribe/not-a-token/").status_code == 404


def test_the_unsubscribe_page_costs_a_fixed_number_of_queries(
    system_a,
    make_ticket,
    member_a,
    agent_a,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    ticket = make_ticket(member_a)
    reply(system_a, django_capture_on_commit_callbacks, actor=agent_a, ticket=ticket)
    path = _link(only(member_a.email))
    anonymous = Client(HTTP_HOST=host_of(system_a))

    with django_assert_max_num_queries(5):
        asked = anonymous.get(path)
        assert asked.status_code == 200 and member_a.email in asked.content.decode()
