"""Sending, resending, revoking and accepting invitations; the seat cap on the way."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditEvent, Invitation, Role, SeatEvent, User
from accounts.services import invitations
from legal.models import TermsAcceptance
from legal.selectors import terms_current
from tests.support.tenancy import client_for, host_of, in_schema


def _token_from(message) -> str:
    return re.search(r"/invite/([^/\s]+)/", message.body).group(1)


def _invite(actor, system, email="new.person@example.com", role=Role.AGENT):
    with in_schema(system):
        return invitations.invitation_create(actor=actor, email=email, role=role)


def test_an_admin_invites_by_email_and_the_mail_names_system_and_inviter(
    admin_client_a, admin_a, system_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_a.post(
            "/settings/people/", {"email": "New.Person@Example.com", "role": "agent"}
        )

    assert response.status_code == 302
    with in_schema(system_a):
        invitation = Invitation.objects.get()
        assert invitation.email == "new.person@example.com"
        assert invitation.role == Role.AGENT
        assert invitation.expires_at - invitation.created_at == timedelta(days=7)
        assert AuditEvent.objects.filter(
            action="invite_sent", target_label=invitation.email
        ).exists()
    (message,) = mail.outbox
    assert message.to == ["new.person@example.com"]
    assert message.subject == "Ada Admin invited you to Alpha Support"
    assert f"http://{host_of(system_a)}/invite/" in message.body


def test_the_token_is_stored_only_as_its_hash(
    admin_a, system_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(admin_a, system_a)
    token = _token_from(mail.outbox[0])

    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    with in_schema(system_a):
        assert invitations.invitation_for_token(token) == invitation


def test_invite_beyond_seat_cap_is_refused(admin_a, system_a, seat_cap):
    seat_cap(2)  # the admin holds one seat
    _invite(admin_a, system_a, "first@example.com")

    with pytest.raises(ValidationError) as error:
        _invite(admin_a, system_a, "second@example.com")

    assert "No free seat" in str(error.value)
    with in_schema(system_a):
        assert Invitation.objects.count() == 1


def test_the_invite_form_keeps_what_was_typed_when_refused(admin_client_a, seat_cap):
    seat_cap(1)

    response = admin_client_a.post(
        "/settings/people/", {"email": "kept@example.com", "role": "member"}
    )

    assert response.status_code == 400
    assert b"No free seat" in response.content
    assert b'value="kept@example.com"' in response.content


def test_inviting_an_existing_account_or_pending_address_says_so(admin_a, system_a, member_a):
    with pytest.raises(ValidationError, match="already has an account"):
        _invite(admin_a, system_a, member_a.email.upper())
    _invite(admin_a, system_a, "twice@example.com")
    with pytest.raises(ValidationError, match="already invited"):
        _invite(admin_a, system_a, "twice@example.com")


def test_an_expired_invitation_gives_way_to_a_new_one(admin_a, system_a):
    old = _invite(admin_a, system_a, "late@example.com")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        new = _invite(admin_a, system_a, "late@example.com")
        with in_schema(system_a):
            old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.status == Invitation.Status.PENDING


def test_agents_and_members_cannot_invite(system_a, agent_a, member_a):
    for person in (agent_a, member_a):
        client = client_for(system_a, person)
        assert client.get("/settings/people/").status_code == 403
        assert (
            client.post(
                "/settings/people/", {"email": "x@example.com", "role": "agent"}
            ).status_code
            == 403
        )
    with in_schema(system_a):
        assert not Invitation.objects.exists()


def test_nobody_can_be_invited_as_owner(admin_client_a, admin_a, system_a):
    with pytest.raises(ValidationError):
        _invite(admin_a, system_a, role=Role.OWNER)
    response = admin_client_a.post("/settings/people/", {"email": "x@example.com", "role": "owner"})
    assert response.status_code == 400


# --- accepting -------------------------------------------------------------------------


@pytest.fixture
def invitation_link(admin_a, system_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin_a, system_a, "joiner@example.com", Role.AGENT)
    token = _token_from(mail.outbox[-1])
    mail.outbox.clear()
    return f"/invite/{token}/"


def _accept(client, link, **overrides):
    data = {
        "full_name": "Jo Joiner",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
        "accept_terms": "on",
        **overrides,
    }
    return client.post(link, data, HTTP_USER_AGENT="JoBrowser/1.0", REMOTE_ADDR="203.0.113.9")


def test_the_accept_page_names_the_system_the_inviter_and_the_terms(system_a, invitation_link):
    response = client_for(system_a).get(invitation_link)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Join Alpha Support" in page
    assert "Ada Admin invited" in page
    assert "joiner@example.com" in page
    assert 'href="/terms/"' in page


def test_accepting_makes_an_account_takes_a_seat_records_the_terms_and_logs_in(
    system_a, invitation_link
):
    client = client_for(system_a)

    response = _accept(client, invitation_link)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    with in_schema(system_a):
        user = User.objects.get(email="joiner@example.com")
        assert user.role == Role.AGENT and user.full_name == "Jo Joiner"
        assert user.check_password("a-long-unusual-passphrase")
        (event,) = SeatEvent.objects.filter(user=user)
        assert (event.delta, event.reason) == (1, "registered")
        acceptance = TermsAcceptance.objects.get(user=user)
        assert acceptance.version == terms_current().version
        assert (acceptance.ip, acceptance.user_agent) == ("203.0.113.9", "JoBrowser/1.0")
        assert Invitation.objects.get().accepted_user == user
    system_a.refresh_from_db()
    assert system_a.seats_used == 2


def test_bad_input_re_renders_with_errors_and_keeps_the_name(system_a, invitation_link):
    response = _accept(
        client_for(system_a), invitation_link, password2="something-else", accept_terms=""
    )

    assert response.status_code == 400
    assert b"The two passwords differ" in response.content
    assert b'value="Jo Joiner"' in response.content
    with in_schema(system_a):
        assert not User.objects.filter(email="joiner@example.com").exists()


def test_a_weak_password_is_refused(system_a, invitation_link):
    response = _accept(
        client_for(system_a), invitation_link, password1="12345678", password2="12345678"
    )
    assert response.status_code == 400
    assert b"too common" in response.content


def test_a_used_link_gets_a_clear_page(system_a, invitation_link):
    _accept(client_for(system_a), invitation_link)

    response = client_for(system_a).get(invitation_link)

    assert response.status_code == 410
    assert b"already been used" in response.content


def test_an_expired_link_gets_a_clear_page(system_a, invitation_link):
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        get = client_for(system_a).get(invitation_link)
        post = _accept(client_for(system_a), invitation_link)
    assert get.status_code == post.status_code == 410
    assert b"expired" in get.content


def test_a_revoked_link_gets_a_clear_page(system_a, admin_a, invitation_link):
    with in_schema(system_a):
        invitations.invitation_revoke(actor=admin_a, invitation=Invitation.objects.get())

    response = client_for(system_a).get(invitation_link)

    assert response.status_code == 410
    assert b"withdrawn" in response.content


def test_an_invented_link_is_a_404(system_a):
    assert client_for(system_a).get("/invite/not-a-real-token/").status_code == 404


def test_resending_sends_a_new_link_and_the_old_one_stops_working(
    system_a, admin_a, invitation_link, django_capture_on_commit_callbacks
):
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invitation_resend(
            actor=admin_a, invitation=Invitation.objects.get()
        )
    new_link = f"/invite/{_token_from(mail.outbox[-1])}/"

    assert new_link != invitation_link
    assert invitation.send_count == 2
    assert client_for(system_a).get(invitation_link).status_code == 404
    assert client_for(system_a).get(new_link).status_code == 200


def test_resending_twice_within_a_minute_is_refused(system_a, admin_a, invitation_link):
    with in_schema(system_a):
        invitation = Invitation.objects.get()
        invitations.invitation_resend(actor=admin_a, invitation=invitation)
        with pytest.raises(ValidationError, match="wait a minute"):
            invitations.invitation_resend(actor=admin_a, invitation=invitation)


def test_accepting_when_the_system_is_full_explains_whom_to_ask(
    system_a, admin_a, owner_a, invitation_link, seat_cap
):
    seat_cap(2)  # owner + admin hold both seats; the invitation was sent when cap allowed

    response = _accept(client_for(system_a), invitation_link)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Alpha Support is full" in page
    assert admin_a.email in page and owner_a.email in page
    with in_schema(system_a):
        assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_the_invite_rate_limit_stops_a_flood(admin_a, system_a, settings, seat_cap):
    settings.INVITES_PER_HOUR = 3
    seat_cap(50)
    for n in range(3):
        _invite(admin_a, system_a, f"p{n}@example.com")
    with pytest.raises(ValidationError, match="many invitations"):
        _invite(admin_a, system_a, "p4@example.com")
