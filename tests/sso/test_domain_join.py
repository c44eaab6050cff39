"""People of a verified domain join without an invitation only when the admins allow it, the
domain is verified, and a seat is free that no pending invitation holds."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import AuditEvent, Invitation, Role, SeatEvent, User
from accounts.sso.models import SingleSignOn, VerifiedDomain
from legal.models import TermsAcceptance
from tests.sso.conftest import join, signed_in_as, sso_connect, sso_sign_in
from tests.sso.issuer import Identity
from tests.support.tenancy import client_for, in_schema

SAM = Identity(sub="sam-1", email="sam@acme.example")


def _domain(system, verified=True):
    with in_schema(system):
        VerifiedDomain.objects.create(
            domain="acme.example",
            token="t0ken",
            added_by_label="Olga",
            verified_at=timezone.now() if verified else None,
        )


def _refused(response, text: str) -> None:
    assert response.status_code == 403, response
    assert text in response.content.decode()


def test_someone_of_a_verified_domain_joins_as_a_member_when_allowed(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer, domain_join=True)
    _domain(system_a)
    client = client_for(system_a)

    joined = join(client, sso_sign_in(client, issuer, SAM), full_name="Sam Single")

    assert joined.status_code == 302, joined
    with in_schema(system_a):
        user = User.objects.get(email="sam@acme.example")
        assert user.role == Role.MEMBER and user.full_name == "Sam Single"
        assert SeatEvent.objects.filter(user=user, delta=1).count() == 1
        assert TermsAcceptance.objects.filter(user=user).exists()
        event = AuditEvent.objects.get(action=AuditEvent.Action.SSO_JOINED)
        assert event.detail == {"domain": "acme.example", "role": "member"}
        assert signed_in_as(client, system_a) == user
    system_a.refresh_from_db()
    assert system_a.seats_used == 2


def test_a_verified_domain_is_no_way_in_while_the_admins_do_not_allow_it(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer)
    _domain(system_a)
    client = client_for(system_a)

    response = sso_sign_in(client, issuer, SAM)

    _refused(response, "Ask one of its admins to invite you")
    with in_schema(system_a):
        assert not User.objects.filter(email="sam@acme.example").exists()
        refusal = AuditEvent.objects.get(action=AuditEvent.Action.SSO_REFUSED)
        assert refusal.detail == {"reason": "not_invited"}
    assert signed_in_as(client, system_a) is None


def test_a_domain_not_verified_yet_is_no_way_in(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer, domain_join=True)
    _domain(system_a, verified=False)
    client = client_for(system_a)

    _refused(sso_sign_in(client, issuer, SAM), "Ask one of its admins to invite you")


def test_another_domain_is_no_way_in(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer, domain_join=True)
    _domain(system_a)
    client = client_for(system_a)

    outsider = Identity(sub="eve-1", email="eve@acme.example.evil.test")
    _refused(sso_sign_in(client, issuer, outsider), "Ask one of its admins to invite you")


def test_no_free_seat_is_said_plainly(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer, domain_join=True)
    _domain(system_a)
    system_a.seat_cap = 2
    system_a.save(update_fields=["seat_cap"])
    with in_schema(system_a):
        # The second seat is promised to a pending invitation: not free for a domain join.
        Invitation.objects.create(
            email="promised@elsewhere.example",
            role=Role.AGENT,
            token_hash="p" * 64,
            invited_by=owner_a,
            invited_by_name="Olga",
            expires_at=timezone.now() + timedelta(days=3),
        )
    client = client_for(system_a)

    _refused(sso_sign_in(client, issuer, SAM), "Every seat of this help desk is taken")
    with in_schema(system_a):
        assert not User.objects.filter(email="sam@acme.example").exists()


def test_the_seat_is_checked_again_when_the_join_form_is_sent(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer, domain_join=True)
    _domain(system_a)
    client = client_for(system_a)
    response = sso_sign_in(client, issuer, SAM)
    assert client.get(response["Location"]).status_code == 200
    # Meanwhile the last seat went to someone else.
    system_a.seat_cap = 1
    system_a.save(update_fields=["seat_cap"])

    refused = client.post(response["Location"], {"full_name": "Sam", "accept_terms": "on"})

    _refused(refused, "Every seat of this help desk is taken")
    with in_schema(system_a):
        assert not User.objects.filter(email="sam@acme.example").exists()
    assert signed_in_as(client, system_a) is None


def test_turning_domain_joins_off_closes_the_door_again(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer, domain_join=True)
    _domain(system_a)
    with in_schema(system_a):
        SingleSignOn.objects.update(domain_join=False)
    client = client_for(system_a)

    _refused(sso_sign_in(client, issuer, SAM), "Ask one of its admins to invite you")


def test_a_refusal_names_no_admin(system_a, owner_a, admin_a, issuer):
    sso_connect(system_a, owner_a, issuer)
    client = client_for(system_a)

    page = sso_sign_in(client, issuer, SAM).content.decode()

    assert admin_a.email not in page and owner_a.email not in page
