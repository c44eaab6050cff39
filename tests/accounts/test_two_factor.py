"""Two-factor authentication with an authenticator app (TOTP), inside a System."""

import time
from datetime import timedelta

import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from tests.factories import PASSWORD
from tests.support.tenancy import host_of, in_schema


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_turning_on_totp_makes_sign_in_ask_for_a_code(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST=host_of(system_a))
    client.post("/accounts/login/", {"login": agent_a.email, "password": PASSWORD})
    asked = client.get("/accounts/2fa/totp/activate/")
    client.post(asked["Location"], {"password": PASSWORD})  # re-enter the password first
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    with in_schema(system_a):
        secret = client.session[SECRET_SESSION_KEY]

    # allauth announces the new authenticator after commit; the test's transaction never
    # commits, so run those callbacks here, in the System's schema, as a request would.
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        activated = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})

    assert activated.status_code == 302
    with in_schema(system_a):
        assert Authenticator.objects.filter(user=agent_a, type="totp").exists()
        assert AuditEvent.objects.filter(action="mfa_enabled", target_label=agent_a.email).exists()

    with time_machine.travel(timezone.now() + timedelta(seconds=60)):
        fresh = Client(HTTP_HOST=host_of(system_a))
        step = fresh.post("/accounts/login/", {"login": agent_a.email, "password": PASSWORD})
        assert step["Location"] == "/accounts/2fa/authenticate/"
        assert fresh.get("/").status_code == 302  # a password alone is not enough
        wrong = fresh.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert wrong.status_code == 200
        done = fresh.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
        assert done["Location"] == "/"
        assert fresh.get("/").status_code == 200
