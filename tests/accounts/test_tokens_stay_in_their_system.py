"""Every link that carries a token means something in the System that made it, nowhere else.

Each case gives System A and System B an account with the same id, email and password hash
(what an owner who opens a second System gets), makes a token in A and uses it at B.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.services.handoff import handoff_create
from legal.services.consents import unsubscribe_token
from servicedesk.tokens import new_token
from tenants.lifecycle import deletion
from tenants.portability.models import Export
from tests.factories import PASSWORD, UserFactory
from tests.support.tenancy import client_for, host_of, in_schema

TWIN_ID = 4242
TWIN_EMAIL = "twin@example.com"
SHARED_HASH = make_password(PASSWORD)


@pytest.fixture
def twins(system_a, system_b) -> tuple[User, User]:
    made = []
    for system in (system_a, system_b):
        with in_schema(system):
            user = UserFactory(id=TWIN_ID, email=TWIN_EMAIL, role=User.Role.OWNER)
            User.objects.filter(pk=user.pk).update(password=SHARED_HASH)
            user.refresh_from_db()
            made.append(user)
    return made[0], made[1]


def _at_b(system_b) -> Client:
    return Client(HTTP_HOST=host_of(system_b))


def test_an_email_confirmation_key_of_a_does_not_confirm_the_same_address_id_at_b(
    system_a, system_b, twins, django_capture_on_commit_callbacks
):
    at_a = Client(HTTP_HOST=host_of(system_a))
    at_a.post("/accounts/login/", {"login": TWIN_EMAIL, "password": PASSWORD})
    asked = at_a.post("/accounts/email/", {"action_add": "", "email": "new-alpha@example.com"})
    with django_capture_on_commit_callbacks(execute=True):
        at_a.post(asked["Location"], {"password": PASSWORD})
    sent = next(m for m in mail.outbox if m.to == ["new-alpha@example.com"])
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", sent.body).group(1)
    with in_schema(system_a):
        address_id = EmailAddress.objects.get(email="new-alpha@example.com").pk
    with in_schema(system_b):  # B has an unconfirmed address with the very same id
        EmailAddress.objects.create(
            pk=address_id, user=twins[1], email="new-bravo@example.com", verified=False
        )

    shown = _at_b(system_b).get(f"/accounts/confirm-email/{key}/")
    _at_b(system_b).post(f"/accounts/confirm-email/{key}/")

    assert b"new-bravo@example.com" not in shown.content
    with in_schema(system_b):
        assert not EmailAddress.objects.get(pk=address_id).verified
    # ...while at A the key does what it is for.
    at_a.post(f"/accounts/confirm-email/{key}/")
    with in_schema(system_a):
        assert EmailAddress.objects.get(pk=address_id).verified


def test_a_password_reset_link_of_a_does_not_reset_the_twin_account_at_b(system_a, system_b, twins):
    with in_schema(system_a):
        token = default_token_generator.make_token(twins[0])
    link = f"/accounts/password/reset/key/{user_pk_to_url_str(twins[1])}-{token}/"

    client = _at_b(system_b)
    response = client.get(link, follow=True)
    client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else link,
        {"password1": "a-brand-new-pass-77", "password2": "a-brand-new-pass-77"},
    )

    with in_schema(system_b):
        assert User.objects.get(pk=TWIN_ID).check_password(PASSWORD)
    with in_schema(system_a):
        assert default_token_generator.check_token(twins[0], token)


def test_a_sign_in_hand_over_link_of_a_signs_nobody_in_at_b(system_a, system_b, twins):
    with in_schema(system_a):
        token = handoff_create(user=twins[0])

    client = _at_b(system_b)
    client.post("/welcome/", {"token": token}, HTTP_ORIGIN="http://localhost")

    assert client.get("/").status_code == 302  # still signed out at B


def test_an_invitation_link_of_a_is_unknown_at_b(system_a, system_b, owner_a, user_b):
    token, digest = new_token()
    with in_schema(system_a):
        Invitation.objects.create(
            id=515,
            email="new@example.com",
            role="agent",
            token_hash=digest,
            invited_by=owner_a,
            expires_at=timezone.now() + timedelta(days=7),
        )
    with in_schema(system_b):
        Invitation.objects.create(
            id=515,
            email="other@example.com",
            role="agent",
            token_hash="0" * 64,
            invited_by=user_b,
            expires_at=timezone.now() + timedelta(days=7),
        )

    response = _at_b(system_b).get(f"/invite/{token}/")

    assert response.status_code == 404
    assert b"new@example.com" not in response.content


def test_an_unsubscribe_link_of_a_unsubscribes_nobody_at_b(system_a, system_b, twins):
    with in_schema(system_a):
        token = unsubscribe_token(twins[0])

    response = _at_b(system_b).post(f"/announcements/unsubscribe/{token}/")

    assert response.status_code == 404
    with in_schema(system_b):
        assert User.objects.get(pk=TWIN_ID).receives_announcements


def test_an_export_download_of_a_is_not_found_at_b(system_a, system_b, twins):
    export = Export.objects.create(
        system=system_a, requested_by_id=TWIN_ID, requested_by_email=TWIN_EMAIL
    )

    response = client_for(system_b, twins[1]).get(f"/settings/export/{export.pk}/download/")

    assert response.status_code == 404


def test_a_deletion_undo_link_of_a_undoes_nothing_at_b(system_a, system_b, twins):
    for system, twin in zip((system_a, system_b), twins, strict=True):
        with in_schema(system):
            deletion.deletion_schedule(
                actor=twin, system=system, password=PASSWORD, subdomain=system.slug
            )
    with in_schema(system_a):
        pending_a = deletion.deletion_pending(system=system_a)
    token_a, digest_a = new_token()
    type(pending_a).objects.filter(pk=pending_a.pk).update(undo_token_hash=digest_a)

    response = client_for(system_b, twins[1]).post(f"/settings/delete/undo/{token_a}/")

    assert response.status_code == 404
    assert deletion.deletion_pending(system=system_b) is not None
