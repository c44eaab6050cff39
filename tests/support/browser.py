"""Helpers for Playwright journeys."""

from __future__ import annotations

import re
import time
import uuid

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from accounts.services.operator_accounts import operator_account_create
from tests.factories import PASSWORD

_axe = Axe()


def assert_accessible(page, *, impacts=("serious", "critical")) -> None:
    """axe-core finds no serious or critical violation on the page as it stands."""
    results = _axe.run(page)
    found = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in impacts
    ]
    assert not found, "accessibility violations:\n" + "\n".join(found)


def link_from_mail(pattern: str, *, to: str) -> str:
    """The first link matching ``pattern`` in the newest email sent to ``to``."""
    for message in reversed(mail.outbox):
        if to in message.to:
            match = re.search(pattern, message.body)
            if match:
                return match.group(0)
    raise AssertionError(f"no email to {to} with a link like {pattern!r}")


def operator_sign_in(page, server, *, groups: tuple[str, ...] = ("Superuser",)) -> str:
    """Make an operator with an authenticator app and sign him in to admin as a person does:
    allauth's form on the public site, then a code. Returns his email."""
    email = f"op-{uuid.uuid4().hex[:8]}@example.com"
    operator = operator_account_create(
        email=email, full_name="Operator", password=PASSWORD, groups=list(groups)
    )
    secret = generate_totp_secret()
    TOTP.activate(operator, secret)
    page.goto(server.url("localhost", "/admin/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(server.url("localhost", "/admin/"))
    return email
