"""Incoming mail for admins (the list, one message, let in / retry / discard), and the
original of a message on a ticket for whoever may see that ticket."""

from __future__ import annotations

import os

import pytest

from accounts.models import AuditEvent
from tests.mail.support import message, support_of
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.mail.models import Contact, InboundMessage, MailSettings, WhoMayWrite
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status


@pytest.fixture
def admin_client(system_a, admin_a):
    return client_for(system_a, admin_a)


def _held_from_a_stranger(deliver, system_a, **kwargs) -> InboundMessage:
    raw = message(
        sender="eve@outside.example",
        name="Eve Nguyễn",
        to=support_of(system_a),
        subject="Invoice <b>question</b>",
        body="Hello,\nwhere is my invoice?\n\n> quoted history\n",
        **kwargs,
    )
    deliver(raw, to=[support_of(system_a)])
    with in_schema(system_a):
        row = InboundMessage.objects.get(from_address="eve@outside.example")
    assert row.status == Status.HELD
    return row


def test_the_list_shows_each_message_with_its_status_and_reason(
    system_a, admin_client, deliver, member_a
):
    held = _held_from_a_stranger(deliver, system_a)
    deliver(message(sender=member_a.email, to=support_of(system_a)), to=[support_of(system_a)])

    page = admin_client.get("/settings/email/messages/").content.decode()

    assert "eve@outside.example" in page and "Eve Nguyễn" in page
    assert "Invoice &lt;b&gt;question&lt;/b&gt;" in page  # escaped
    assert "Held for review" in page and "not a person of this System" in page
    assert f"/settings/email/messages/{held.pk}/" in page
    with in_schema(system_a):
        ticket = Ticket.objects.get()
    assert f'href="/tickets/{ticket.number}/"' in page


def test_the_tabs_filter_by_status_and_count(system_a, admin_client, deliver, member_a):
    _held_from_a_stranger(deliver, system_a)
    deliver(message(sender=member_a.email, to=support_of(system_a)), to=[support_of(system_a)])

    held = admin_client.get("/settings/email/messages/?tab=held").content.decode()
    tickets = admin_client.get("/settings/email/messages/?tab=tickets").content.decode()

    assert "eve@outside.example" in held and member_a.email not in held
    assert member_a.email in tickets and "eve@outside.example" not in tickets
    assert 'Held <span class="badge text-bg-light">1</span>' in held
    assert 'All <span class="badge text-bg-light">2</span>' in held


def test_the_list_costs_the_same_for_one_message_or_many(
    system_a, admin_client, deliver, member_a, django_assert_max_num_queries
):
    deliver(message(sender=member_a.email, to=support_of(system_a)), to=[support_of(system_a)])
    admin_client.get("/settings/email/messages/")  # the first request of a session caches
    with django_assert_max_num_queries(7) as one:
        response = admin_client.get("/settings/email/messages/")
        assert response.status_code == 200 and member_a.email in response.content.decode()
    for n in range(6):
        raw = message(sender=member_a.email, to=support_of(system_a), subject=f"Thing {n}")
        deliver(raw, to=[support_of(system_a)])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = admin_client.get("/settings/email/messages/")
        assert response.status_code == 200 and "Thing 5" in response.content.decode()


def test_the_list_pages_by_25(system_a, admin_client):
    with in_schema(system_a):
        InboundMessage.objects.bulk_create(
            InboundMessage(via="smtp", sha256="x", dedupe_key=f"k{n}", subject=f"Subject {n:02}")
            for n in range(30)
        )
    first = admin_client.get("/settings/email/messages/").content.decode()
    second = admin_client.get("/settings/email/messages/?page=2").content.decode()

    assert first.count('class="inbound ') == 25 and "Page 1 of 2" in first
    assert second.count('class="inbound ') == 5


def test_the_detail_page_shows_the_text_escaped_with_the_reason(
    system_a, admin_client, deliver, django_assert_max_num_queries
):
    row = _held_from_a_stranger(deliver, system_a)
    admin_client.get(f"/settings/email/messages/{row.pk}/")  # warm the session's checks
    with django_assert_max_num_queries(6):
        response = admin_client.get(f"/settings/email/messages/{row.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "where is my invoice?" in page and "quoted history" in page
    assert "Invoice &lt;b&gt;question&lt;/b&gt;" in page
    assert "only its people" in page
    assert "Let in" in page and "Discard" in page and ">Retry<" not in page
    assert f"/settings/email/messages/{row.pk}/original.eml" in page


def test_the_original_downloads_as_an_attachment_never_rendered(system_a, admin_client, deliver):
    row = _held_from_a_stranger(deliver, system_a)

    response = admin_client.get(f"/settings/email/messages/{row.pk}/original.eml")

    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"where is my invoice?" in b"".join(response.streaming_content)


def test_letting_in_a_strangers_held_mail_opens_a_ticket_with_a_contact(
    system_a, admin_client, deliver, admin_a
):
    row = _held_from_a_stranger(deliver, system_a)

    response = admin_client.post(f"/settings/email/messages/{row.pk}/release/", follow=True)

    assert "The message is let in" in response.content.decode()
    with in_schema(system_a):
        row.refresh_from_db()
        ticket = Ticket.objects.get()
        assert row.status == Status.TICKET and row.ticket == ticket and row.handled_by == admin_a
        assert ticket.requester is None
        assert ticket.contact == Contact.objects.get(email="eve@outside.example")
        assert not MailSettings.objects.filter(who_may_write=WhoMayWrite.ANYONE).exists()
        logged = AuditEvent.objects.get(action=AuditEvent.Action.MAIL_RELEASED)
    assert logged.actor_id == admin_a.pk
    assert logged.target_label == "eve@outside.example: Invoice <b>question</b>"
    assert "not a person of this System" in logged.detail["reason"]


def test_discarding_removes_the_raw_bytes_and_keeps_the_line(
    system_a, admin_client, deliver, admin_a
):
    row = _held_from_a_stranger(deliver, system_a)
    with in_schema(system_a):
        path = row.raw.path

    response = admin_client.post(f"/settings/email/messages/{row.pk}/discard/", follow=True)

    assert "discarded" in response.content.decode()
    with in_schema(system_a):
        row.refresh_from_db()
        assert row.status == Status.DISCARDED and not row.raw and row.size == 0
        logged = AuditEvent.objects.get(action=AuditEvent.Action.MAIL_DISCARDED)
    assert (logged.actor_id, logged.detail["message"]) == (admin_a.pk, row.pk)
    assert not os.path.exists(path)
    page = admin_client.get(f"/settings/email/messages/{row.pk}/").content.decode()
    assert "no longer kept" in page and "Let in" not in page
    assert admin_client.get(f"/settings/email/messages/{row.pk}/original.eml").status_code == 404


def test_a_failed_message_can_be_retried(
    system_a, admin_client, member_a, django_capture_on_commit_callbacks
):
    from tickets.mail.services.intake import inbound_store

    raw = message(sender=member_a.email, to=support_of(system_a))
    with in_schema(system_a):
        stored = inbound_store(raw=raw, via="smtp")  # queued; the callback never runs here
        InboundMessage.objects.filter(pk=stored.message_pk).update(
            status=Status.FAILED, reason="KeyError: boom"
        )
    detail = admin_client.get(f"/settings/email/messages/{stored.message_pk}/").content.decode()
    assert "KeyError: boom" in detail and ">Retry<" in detail

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/settings/email/messages/{stored.message_pk}/retry/", follow=True
        )

    assert "read again" in response.content.decode()
    with in_schema(system_a):
        assert InboundMessage.objects.get(pk=stored.message_pk).status == Status.TICKET
        logged = AuditEvent.objects.get(action=AuditEvent.Action.MAIL_RETRIED)
    assert logged.detail == {"message": stored.message_pk, "reason": "KeyError: boom"}
    assert logged.target_label.startswith(member_a.email)


def test_a_decision_that_does_not_fit_says_so(system_a, admin_client, deliver):
    row = _held_from_a_stranger(deliver, system_a)

    response = admin_client.post(f"/settings/email/messages/{row.pk}/retry/", follow=True)

    assert "Only failed messages can be retried." in response.content.decode()
    assert admin_client.post(f"/settings/email/messages/{row.pk}/explode/").status_code == 404
    assert admin_client.post("/settings/email/messages/999999/discard/").status_code == 404


@pytest.mark.parametrize("role", ["agent", "member"])
def test_only_admins_open_and_decide(request, system_a, deliver, role):
    row = _held_from_a_stranger(deliver, system_a)
    client = client_for(system_a, request.getfixturevalue(f"{role}_a"))

    assert client.get(f"/settings/email/messages/{row.pk}/").status_code == 403
    assert client.get(f"/settings/email/messages/{row.pk}/original.eml").status_code == 403
    assert client.post(f"/settings/email/messages/{row.pk}/release/").status_code == 403
    assert client.post(f"/settings/email/messages/{row.pk}/discard/").status_code == 403
    with in_schema(system_a):
        assert InboundMessage.objects.get(pk=row.pk).status == Status.HELD


def test_system_b_user_gets_nothing_of_a_message(system_a, system_b, user_b, deliver):
    row = _held_from_a_stranger(deliver, system_a)
    client = client_for(system_b, user_b)

    for path in (
        f"/settings/email/messages/{row.pk}/",
        f"/settings/email/messages/{row.pk}/original.eml",
    ):
        response = client.get(path, HTTP_HOST=host_of(system_a))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # And B's own pages don't know A's message.
    own = client_for(system_b, user_b).get(f"/settings/email/messages/{row.pk}/")
    assert own.status_code == 404


# --- the original, from the ticket ---------------------------------------------------------


@pytest.fixture
def mailed_ticket(system_a, deliver, member_a):
    raw = message(
        sender=member_a.email,
        to=support_of(system_a),
        subject="VPN down",
        body="It fails.\n\nOn Monday someone wrote:\n> old quoted text\n",
    )
    deliver(raw, to=[support_of(system_a)])
    with in_schema(system_a):
        row = InboundMessage.objects.get()
        return row.ticket, row


def test_a_ticket_by_mail_offers_its_original(system_a, mailed_ticket, agent_a):
    ticket, row = mailed_ticket
    client = client_for(system_a, agent_a)

    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "via email" in page
    assert f'href="/tickets/{ticket.number}/mail/{row.pk}/"' in page

    original = client.get(f"/tickets/{ticket.number}/mail/{row.pk}/").content.decode()
    assert "old quoted text" in original
    assert f"/tickets/{ticket.number}/mail/{row.pk}/original.eml" in original
    raw = client.get(f"/tickets/{ticket.number}/mail/{row.pk}/original.eml")
    assert raw.status_code == 200 and raw["Content-Type"] == "message/rfc822"


def test_a_reply_by_mail_offers_its_original(system_a, mailed_ticket, member_a, agent_a, deliver):
    ticket, first = mailed_ticket
    raw = message(
        sender=member_a.email,
        to=support_of(system_a),
        subject=f"Re: [#{ticket.number}] VPN down",
        body="Still failing.\n",
    )
    deliver(raw, to=[support_of(system_a)])
    with in_schema(system_a):
        second = InboundMessage.objects.exclude(pk=first.pk).get()
    assert second.status == Status.REPLY, second.reason

    page = client_for(system_a, agent_a).get(f"/tickets/{ticket.number}/").content.decode()
    assert f'href="/tickets/{ticket.number}/mail/{second.pk}/"' in page
    assert page.count("via email") == 2


def test_the_requester_reads_his_original_but_not_the_raw_file(system_a, mailed_ticket, member_a):
    ticket, row = mailed_ticket
    client = client_for(system_a, member_a)

    original = client.get(f"/tickets/{ticket.number}/mail/{row.pk}/")
    assert original.status_code == 200 and "old quoted text" in original.content.decode()
    assert "original.eml" not in original.content.decode()
    assert client.get(f"/tickets/{ticket.number}/mail/{row.pk}/original.eml").status_code == 403


def test_others_get_no_original(
    system_a, system_b, mailed_ticket, other_member_a, user_b, make_ticket, member_a
):
    ticket, row = mailed_ticket
    other = make_ticket(member_a, subject="Another")
    path = f"/tickets/{ticket.number}/mail/{row.pk}/"

    assert client_for(system_a, other_member_a).get(path).status_code == 404
    # The message is not the other ticket's.
    admin_path = f"/tickets/{other.number}/mail/{row.pk}/"
    assert client_for(system_a, member_a).get(admin_path).status_code == 404
    foreign = client_for(system_b, user_b).get(path, HTTP_HOST=host_of(system_a))
    assert foreign.status_code == 302


def test_the_ticket_page_costs_one_query_more_only_when_mail_is_on_it(
    system_a, mailed_ticket, agent_a, make_ticket, django_assert_max_num_queries
):
    ticket, _ = mailed_ticket
    plain = make_ticket(agent_a, subject="Typed on the page")
    client = client_for(system_a, agent_a)
    with django_assert_max_num_queries(60) as by_page:
        assert client.get(f"/tickets/{plain.number}/").status_code == 200
    with django_assert_max_num_queries(len(by_page.captured_queries) + 1):
        assert "via email" in client.get(f"/tickets/{ticket.number}/").content.decode()


def test_a_message_the_operator_removed_keeps_its_original_hidden(
    system_a, mailed_ticket, agent_a, member_a
):
    ticket, row = mailed_ticket
    with in_schema(system_a):
        Ticket.objects.filter(pk=ticket.pk).update(removed_reason="Court order 12")
    path = f"/tickets/{ticket.number}/mail/{row.pk}/"

    for user in (agent_a, member_a):
        client = client_for(system_a, user)
        assert client.get(path).status_code == 404
        assert path not in client.get(f"/tickets/{ticket.number}/").content.decode()


def test_the_original_of_mail_the_operator_removed_stays_hidden_from_admins(
    deliver, system_a, admin_a, member_a
):
    from tests.mail.support import message, support_of
    from tests.support.tenancy import client_for, in_schema
    from tickets.mail.models import InboundMessage
    from tickets.models import Ticket

    raw = message(sender=member_a.email, to=support_of(system_a), body="forbidden words here\n")
    deliver(raw, to=[support_of(system_a)])
    with in_schema(system_a):
        row = InboundMessage.objects.get()
        Ticket.objects.filter(pk=row.ticket_id).update(removed_reason="Prohibited content")
    client = client_for(system_a, admin_a)
    page = client.get(f"/settings/email/messages/{row.pk}/")
    assert page.status_code == 200
    assert b"forbidden words" not in page.content
    assert b"operator removed" in page.content
    assert client.get(f"/settings/email/messages/{row.pk}/original.eml").status_code == 404
