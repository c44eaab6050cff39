"""Analytics: off unless configured; then loaded with the nonce, on the chosen pages only."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.services.invitations import invitation_create
from legal.models import AnalyticsProvider
from tests.support.tenancy import client_for, in_schema

OUR_SCRIPT = re.compile(r'<script[^>]*src="(?P<src>[^"]+)"')


def _third_party_scripts(html: str) -> list[str]:
    return [
        m["src"]
        for m in OUR_SCRIPT.finditer(html)
        if not m["src"].startswith(("/static/", "/jsi18n/"))
    ]


def test_with_nothing_configured_no_page_loads_a_third_party_script(system_a, owner_a):
    pages = [
        (Client(HTTP_HOST="localhost"), ["/", "/signup/", "/terms/", "/privacy/"]),
        (
            client_for(system_a, owner_a),
            ["/", "/tickets/", "/tickets/new/", "/settings/people/", "/account/security/"],
        ),
        (Client(HTTP_HOST="alpha.localhost"), ["/accounts/login/"]),
    ]
    for client, paths in pages:
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert _third_party_scripts(response.content.decode()) == [], path
            policy = response["Content-Security-Policy"]
            assert "https://" not in policy, (path, policy)


@pytest.fixture
def google(db):
    return AnalyticsProvider.objects.create(
        kind="google_analytics",
        key="G-TEST123",
        pages="public",
        receives="Pages visited, browser and device, approximate location.",
    )


def test_a_configured_provider_loads_with_the_nonce_and_widens_the_csp(google):
    response = Client(HTTP_HOST="localhost").get("/")
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)

    assert (
        f'<script nonce="{nonce}" async src="https://www.googletagmanager.com/gtag/js?id=G-TEST123">'
        in html
    )
    assert 'gtag("config","G\\u002DTEST123",' in html  # the id, escaped for a JS string
    assert "https://www.googletagmanager.com" in policy.split("script-src", 1)[1].split(";")[0]
    assert "https://*.google-analytics.com" in policy.split("connect-src", 1)[1].split(";")[0]


def test_a_provider_for_the_public_site_stays_out_of_systems(google, system_a, owner_a):
    response = client_for(system_a, owner_a).get("/")
    assert "googletagmanager" not in response.content.decode()
    assert "googletagmanager" not in response["Content-Security-Policy"]


def test_the_privacy_page_names_each_provider_and_what_it_receives(google):
    page = Client(HTTP_HOST="localhost").get("/privacy/").content.decode()
    assert "Google Analytics" in page
    assert "Pages visited, browser and device, approximate location." in page


def test_a_disabled_provider_loads_nothing(google):
    google.enabled = False
    google.save()
    assert "googletagmanager" not in Client(HTTP_HOST="localhost").get("/").content.decode()


def test_a_key_that_could_break_out_of_the_script_is_refused(db):
    from django.core.exceptions import ValidationError

    provider = AnalyticsProvider(kind="clarity", key='x");alert(1);//', receives="x")
    with pytest.raises(ValidationError):
        provider.full_clean()


@pytest.fixture
def everywhere(db):
    """Google Analytics (told the page without its query) and Clarity (reads it itself)."""
    return [
        AnalyticsProvider.objects.create(kind=kind, key=key, pages="all", receives="Pages.")
        for kind, key in (("google_analytics", "G-TEST123"), ("clarity", "clar1ty"))
    ]


def test_pages_reached_by_a_secret_link_load_no_analytics_and_pass_on_only_our_origin(
    everywhere, system_a, owner_a, django_capture_on_commit_callbacks
):
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        invitation_create(actor=owner_a, email="new@alpha.example", role="agent")
    token = mail.outbox[-1].body.split("/invite/", 1)[1].split("/", 1)[0]
    pages = [
        (Client(HTTP_HOST="alpha.localhost"), f"/invite/{token}/"),
        (Client(HTTP_HOST="alpha.localhost"), "/accounts/password/reset/key/1f-abc-def-ghi/"),
        (Client(HTTP_HOST="alpha.localhost"), f"/announcements/unsubscribe/{'x' * 40}/"),
        (Client(HTTP_HOST="localhost"), f"/signup/confirm/{'y' * 43}/"),
    ]
    assert client_for(system_a, owner_a).get("/tickets/").content.count(b"clarity.ms") == 1

    for client, path in pages:
        response = client.get(path)
        html = response.content.decode()
        assert "googletagmanager" not in html and "clarity.ms" not in html, path
        assert response["Referrer-Policy"] == "origin", path


def test_a_provider_that_reads_the_address_itself_never_sees_a_query_string(
    everywhere, system_a, owner_a
):
    client = client_for(system_a, owner_a)

    plain = client.get("/tickets/").content.decode()
    searched = client.get("/tickets/?q=salary+of+Olga").content.decode()

    assert "clarity.ms" in plain
    assert "clarity.ms" not in searched
    assert "googletagmanager" in searched  # told the address without the query, below
    assert "page_location:sdPlain(location.href)" in searched


def test_with_analytics_about_the_next_page_learns_only_our_origin(everywhere, system_a, owner_a):
    response = client_for(system_a, owner_a).get("/tickets/?q=salary")

    assert response["Referrer-Policy"] == "origin"
