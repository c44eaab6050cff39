"""A newcomer with a pending invitation joins through the provider: the invitation is
accepted as its link would, a seat is taken, the terms are recorded."""

from __future__ import annotations

from datetime import timedelta

from allauth.socialaccount.models import SocialAccount
from django.utils import timezone

from accounts.models import AuditEvent, Invitation, Role, SeatEvent, User
from legal.models import TermsAcceptance
from legal.selectors import terms_current
from tests.sso.conftest import join, signed_in_as, sso_sign_in
from tests.sso.issuer import Identity
from tests.support.tenancy import client_for, in_schema


def _invite(system, inviter, email="sam@acme.example", role=Role.AGENT):
    with in_schema(system):
        return Invitation.objects.create(
            email=email,
            role=role,
            token_hash=f"{email:x<64}"[:64],
            invited_by=inviter,
            invited_by_name=inviter.full_name,
            expires_at=timezone.now() + timedelta(days=7),
        )


def test_an_invited_person_joins_takes_a_seat_and_accepts_the_terms(system_a, owner_a, connected_a):
    _invite(system_a, owner_a)
    client = client_for(system_a)

    response = sso_sign_in(client, connected_a, Identity(sub="sam-1", email="sam@acme.example"))
    joined = join(client, response, full_name="Sam Single")

    assert joined.status_code == 302, joined
    with in_schema(system_a):
        user = User.objects.get(email="sam@acme.example")
        assert user.role == Role.AGENT and user.full_name == "Sam Single"
        assert not user.has_usable_password()
        assert Invitation.objects.get().accepted_user == user
        (event,) = SeatEvent.objects.filter(user=user)
        assert (event.delta, event.reason) == (1, "registered")
        acceptance = TermsAcceptance.objects.get(user=user)
        assert acceptance.version == terms_current().version
        assert (acceptance.ip, acceptance.user_agent) == ("203.0.113.7", "SamBrowser/2.0")
        link = SocialAccount.objects.get(user=user)
        assert (link.provider, link.uid) == ("sso", "sam-1")
        accepted = AuditEvent.objects.get(action=AuditEvent.Action.INVITE_ACCEPTED)
        assert accepted.detail["via"] == "sso"
        assert signed_in_as(client, system_a) == user
    system_a.refresh_from_db()
    assert system_a.seats_used == 2


def test_the_next_sign_in_finds_the_person_by_his_link(system_a, owner_a, connected_a):
    _invite(system_a, owner_a)
    first = client_for(system_a)
    join(first, sso_sign_in(first, connected_a, Identity(sub="sam-1", email="sam@acme.example")))

    again = client_for(system_a)
    # The provider's address changed since: the link, not the address, finds him.
    response = sso_sign_in(again, connected_a, Identity(sub="sam-1", email="sam@new.example"))

    assert response.status_code == 302 and response["Location"] == "/", response
    with in_schema(system_a):
        assert signed_in_as(again, system_a).email == "sam@acme.example"
        assert User.objects.count() == 2


def test_the_join_form_needs_the_terms(system_a, owner_a, connected_a):
    _invite(system_a, owner_a)
    client = client_for(system_a)
    response = sso_sign_in(client, connected_a, Identity(sub="sam-1", email="sam@acme.example"))

    refused = client.post(response["Location"], {"full_name": "Sam"})

    assert refused.status_code == 200
    assert "accept_terms" in refused.context["form"].errors
    with in_schema(system_a):
        assert not User.objects.filter(email="sam@acme.example").exists()
