"""Contacts: listed for staff, searchable, invited by admins; once one accepts, his tickets
are his as a person of the System. And contacts show wherever a requester or author does."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core import mail

from accounts.models import Invitation, User
from tests.mail.support import message, support_of
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.mail.models import Contact, MailSettings, WhoMayWrite
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def anyone_may_write(system_a):
    with in_schema(system_a):
        MailSettings.objects.create(who_may_write=WhoMayWrite.ANYONE)


@pytest.fixture
def eves_ticket(system_a, deliver, anyone_may_write) -> Ticket:
    raw = message(
        sender="eve@outside.example", name="Eve Nguyễn", to=support_of(system_a), subject="Hi"
    )
    deliver(raw, to=[support_of(system_a)])
    with in_schema(system_a):
        return Ticket.objects.select_related("contact").get(contact__email="eve@outside.example")


def test_staff_see_contacts_with_their_tickets(system_a, eves_ticket, agent_a):
    page = client_for(system_a, agent_a).get("/contacts/").content.decode()

    assert "eve@outside.example" in page and "Eve Nguyễn" in page
    assert 'href="/tickets/?requester=eve%40outside.example">1</a>' in page
    assert "Invite to become a person" not in page  # agents don't invite


def test_contacts_are_searchable_by_email_and_name(system_a, agent_a):
    with in_schema(system_a):
        Contact.objects.create(email="eve@outside.example", name="Eve Nguyễn")
        Contact.objects.create(email="zed@else.example", name="Zed")
    client = client_for(system_a, agent_a)

    by_name = client.get("/contacts/", {"q": "nguy"}).content.decode()
    by_email = client.get("/contacts/", {"q": "ELSE.example"}).content.decode()
    nothing = client.get("/contacts/", {"q": "nobody"}).content.decode()

    assert "eve@outside.example" in by_name and "zed@else.example" not in by_name
    assert "zed@else.example" in by_email and "eve@outside.example" not in by_email
    assert "No contact matches" in nothing and 'value="nobody"' in nothing


def test_the_list_costs_the_same_for_one_contact_or_many(
    system_a, admin_a, django_assert_max_num_queries
):
    with in_schema(system_a):
        Contact.objects.create(email="c0@x.example")
    client = client_for(system_a, admin_a)
    client.get("/contacts/")  # the first request of a session caches its checks
    with django_assert_max_num_queries(8) as one:
        assert client.get("/contacts/").status_code == 200
    with in_schema(system_a):
        for n in range(1, 8):
            contact = Contact.objects.create(email=f"c{n}@x.example")
            Ticket.objects.create(number=100 + n, subject="s", description="d", contact=contact)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/contacts/")
        assert "c7@x.example" in response.content.decode()


def test_members_may_not_see_contacts_and_system_b_gets_nothing(
    system_a, system_b, member_a, user_b, eves_ticket
):
    with in_schema(system_a):
        contact = eves_ticket.contact
    member = client_for(system_a, member_a)
    assert member.get("/contacts/").status_code == 403
    assert member.post(f"/contacts/{contact.pk}/invite/").status_code == 403
    assert client_for(system_a).get("/contacts/").status_code == 302
    foreign = client_for(system_b, user_b).get("/contacts/", HTTP_HOST=host_of(system_a))
    assert foreign.status_code == 302
    assert (
        "eve@outside.example" not in client_for(system_b, user_b).get("/contacts/").content.decode()
    )


def test_agents_may_not_invite(system_a, agent_a, eves_ticket):
    response = client_for(system_a, agent_a).post(f"/contacts/{eves_ticket.contact_id}/invite/")

    assert response.status_code == 403
    with in_schema(system_a):
        assert not Invitation.objects.exists()


def _accept(system, link: str):
    client = client_for(system)
    data = {
        "full_name": "Eve Nguyễn",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
        "accept_terms": "on",
    }
    response = client.post(link, data, HTTP_USER_AGENT="EveMail/1.0", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def test_an_invited_contact_who_accepts_becomes_the_requester_of_his_tickets(
    system_a, admin_a, eves_ticket, django_capture_on_commit_callbacks
):
    admin = client_for(system_a, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/contacts/{eves_ticket.contact_id}/invite/", follow=True)
    assert "eve@outside.example is invited" in response.content.decode()
    assert ">Invited<" in admin.get("/contacts/").content.decode()
    (invitation,) = [m for m in mail.outbox if "invited you" in m.subject]
    assert invitation.to == ["eve@outside.example"]
    link = re.search(r"/invite/[^/\s]+/", invitation.body).group(0)

    eve = _accept(system_a, link)

    with in_schema(system_a):
        user = User.objects.get(email="eve@outside.example")
        ticket = Ticket.objects.get(pk=eves_ticket.pk)
        assert ticket.requester == user
        assert ticket.contact_id == eves_ticket.contact_id  # kept, for the history
        assert Contact.objects.get(pk=eves_ticket.contact_id).person == user
    assert eve.get(f"/tickets/{ticket.number}/").status_code == 200
    listed = eve.get("/tickets/").content.decode()
    assert f'href="/tickets/{ticket.number}/?list=' in listed
    assert "Person: Eve Nguyễn" in admin.get("/contacts/").content.decode()


def test_inviting_a_contact_respects_the_seat_cap(system_a, admin_a, eves_ticket):
    with in_schema(system_a):
        system_a.seat_cap = User.objects.filter(is_active=True).count()  # every seat taken
    system_a.save(update_fields=["seat_cap"])

    response = client_for(system_a, admin_a).post(
        f"/contacts/{eves_ticket.contact_id}/invite/", follow=True
    )

    assert "No free seat" in response.content.decode()
    with in_schema(system_a):
        assert not Invitation.objects.exists()


# --- contacts wherever a requester or an author shows ---------------------------------------


def test_the_ticket_page_names_the_contact(system_a, eves_ticket, agent_a, member_a, deliver):
    raw = message(
        sender="eve@outside.example",
        to=support_of(system_a),
        subject=f"Re: [#{eves_ticket.number}] Hi",
        body="More details.\n",
    )
    deliver(raw, to=[support_of(system_a)])

    page = client_for(system_a, agent_a).get(f"/tickets/{eves_ticket.number}/").content.decode()

    assert "Eve Nguyễn" in page and "contact, by email" in page
    assert "Deleted user" not in page
    assert "Eve Nguyễn (contact) raised the ticket by email" in page
    assert re.search(r"<strong>Eve Nguyễn <span[^>]*>· contact</span></strong>", page)
    assert "More details." in page


def test_the_list_search_and_requester_filter_name_the_contact(system_a, eves_ticket, agent_a):
    client = client_for(system_a, agent_a)

    listed = client.get("/tickets/").content.decode()
    searched = client.get("/tickets/", {"q": "Hi"}).content.decode()
    filtered = client.get("/tickets/", {"requester": "Eve@Outside.example"}).content.decode()

    for page in (listed, filtered):
        assert "Eve Nguyễn (contact)" in page
        assert f'href="/tickets/{eves_ticket.number}/?list=' in page
    assert "Deleted user" not in listed
    assert "Deleted user" not in searched


def test_the_ticket_pages_keep_their_query_counts_with_a_contact(
    system_a, eves_ticket, agent_a, make_ticket, member_a, django_assert_max_num_queries
):
    typed = make_ticket(member_a, subject="Typed")
    client = client_for(system_a, agent_a)
    with django_assert_max_num_queries(40) as by_person:
        client.get("/tickets/")
    with django_assert_max_num_queries(len(by_person.captured_queries)):
        assert "Eve Nguyễn (contact)" in client.get("/tickets/").content.decode()
    with django_assert_max_num_queries(60) as person_page:
        client.get(f"/tickets/{typed.number}/")
    # One query more: which of its messages came by mail (for "show original").
    with django_assert_max_num_queries(len(person_page.captured_queries) + 1):
        client.get(f"/tickets/{eves_ticket.number}/")


def test_the_tickets_csv_names_the_contacts_address(system_a, eves_ticket):
    from tenants.portability.services import writer

    with in_schema(system_a):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zipped:
            writer._write_tickets_csv(zipped, writer.Progress(0, 1))
        text = zipfile.ZipFile(buffer).read("tickets.csv").decode()
    assert "eve@outside.example" in text


def test_exports_hold_every_mail_model_but_never_the_mailbox_password():
    from tenants.portability.services import contents
    from tickets.mail.models import (
        ForwardingAddress,
        InboundMessage,
        MailRecipient,
        OutboundMessage,
    )

    exported = set(contents.tenant_models())
    for model in (
        Contact,
        MailRecipient,
        MailSettings,
        ForwardingAddress,
        InboundMessage,
        OutboundMessage,
    ):
        assert model in exported, model
    assert "imap_password" not in contents.columns(MailSettings)
    assert "imap_username" in contents.columns(MailSettings)
