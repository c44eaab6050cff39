"""Operators sign in through allauth on the public site (throttled) and enter admin only with
a second factor."""

from __future__ import annotations

import time
from datetime import timedelta

import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.services.operator_accounts import operator_account_create
from tests.factories import PASSWORD

PUBLIC = "localhost"


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _staff(email: str = "ops@example.com") -> User:
    return operator_account_create(
        email=email, full_name="Ops", password=PASSWORD, groups=["Support"]
    )


def _sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_djangos_admin_login_is_not_used_the_throttled_one_is(db):
    response = Client(HTTP_HOST=PUBLIC).get("/admin/login/?next=/admin/tenants/system/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/tenants/system/"
    assert Client(HTTP_HOST=PUBLIC).get("/admin/")["Location"].startswith("/admin/login/")


def test_wrong_passwords_pause_an_operators_sign_in(db):
    _staff()
    client = Client(HTTP_HOST=PUBLIC)
    for _ in range(5):
        assert _sign_in(client, "ops@example.com", "wrong-password").status_code == 200

    response = _sign_in(client, "ops@example.com")

    assert response.status_code == 200
    assert "sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_operator_without_a_second_factor_is_sent_to_set_one_up(db):
    _staff()
    client = Client(HTTP_HOST=PUBLIC)
    assert _sign_in(client, "ops@example.com").status_code == 302

    response = client.get("/admin/tenants/system/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_setting_up_the_authenticator_opens_admin_in_that_session(
    db, django_capture_on_commit_callbacks
):
    _staff()
    client = Client(HTTP_HOST=PUBLIC)
    _sign_in(client, "ops@example.com")
    asked = client.get("/accounts/2fa/totp/activate/")
    client.post(asked["Location"], {"password": PASSWORD})  # allauth asks it again first
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})

    assert activated.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_with_an_authenticator_the_code_is_asked_before_admin_opens(db):
    staff = _staff()
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    client = Client(HTTP_HOST=PUBLIC)

    step = _sign_in(client, "ops@example.com")
    assert step["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # a password alone is not enough
    with time_machine.travel(timezone.now() + timedelta(seconds=1)):
        done = client.post("/accounts/2fa/authenticate/", {"code": _code(secret)})

    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_session_without_the_second_factor_is_asked_for_a_code(db):
    staff = _staff()
    TOTP.activate(staff, generate_totp_secret())
    client = Client(HTTP_HOST=PUBLIC)
    client.force_login(staff)  # e.g. a session from before the authenticator existed

    response = client.get("/admin/tenants/system/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=/admin/tenants/system/"
    assert Authenticator.objects.filter(user=staff).exists()
