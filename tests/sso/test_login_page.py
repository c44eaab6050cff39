"""The sign-in page offers the provider as a form that posts, with CSRF, and no script."""

from __future__ import annotations

import re

from django.test import Client

from tests.sso.conftest import LOGIN_PATH, sso_connect
from tests.support.tenancy import client_for, host_of


def test_the_sign_in_page_offers_a_button_that_posts_to_the_provider_login(
    system_a, owner_a, issuer
):
    sso_connect(system_a, owner_a, issuer, name="Acme ID")

    page = client_for(system_a).get("/accounts/login/?next=/tickets/").content.decode()

    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S)
    assert form and form.group(1) == LOGIN_PATH
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert 'name="next" value="/tickets/"' in form.group(2)
    assert "Sign in with Acme ID" in form.group(2)
    assert "<script" not in form.group(2)


def test_no_button_without_a_provider(system_a):
    page = client_for(system_a).get("/accounts/login/").content.decode()

    assert "Sign in with" not in page


def test_the_provider_login_needs_the_csrf_token(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer)
    client = Client(HTTP_HOST=host_of(system_a), enforce_csrf_checks=True)

    assert client.post(LOGIN_PATH).status_code == 403
    # A GET only shows allauth's confirmation page: nothing leaves for the provider.
    assert client.get(LOGIN_PATH).status_code == 200
