"""Settings → Single sign-on: admins and the owner only; the issuer's discovery is tested
before saving; the client secret is never shown back; every change is audited."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp

from accounts.models import AuditEvent, User
from accounts.sso.models import SingleSignOn
from tests.sso.conftest import sso_connect
from tests.sso.issuer import Issuer
from tests.support.tenancy import client_for, host_of, in_schema

URL = "/settings/sso/"


def _form(provider: Issuer, **extra) -> dict:
    return {
        "name": "Acme ID",
        "issuer": provider.base,
        "client_id": "alpha-client",
        "client_secret": "alpha-secret",
        **extra,
    }


@pytest.mark.parametrize("person", ["owner_a", "admin_a"])
def test_the_owner_and_admins_open_the_page(request, system_a, person):
    user = request.getfixturevalue(person)

    response = client_for(system_a, user).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "http://alpha.localhost/accounts/oidc/sso/login/callback/" in page
    assert 'aria-current="page"' in page and "Single sign-on" in page


@pytest.mark.parametrize("person", ["agent_a", "member_a"])
def test_agents_and_members_may_not(request, system_a, person):
    user = request.getfixturevalue(person)
    client = client_for(system_a, user)

    assert client.get(URL).status_code == 403
    assert client.post("/settings/sso/policy/", {"domain_join": "on"}).status_code == 403
    assert client.post("/settings/sso/domains/", {"domain": "acme.example"}).status_code == 403
    assert client.post("/settings/sso/disconnect/").status_code == 403


def test_someone_of_system_b_gets_nothing(system_a, system_b, user_b):
    response = client_for(system_b, user_b).get(URL, HTTP_HOST=host_of(system_a))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_connecting_tests_the_discovery_saves_and_never_shows_the_secret(system_a, admin_a, issuer):
    client = client_for(system_a, admin_a)

    response = client.post(URL, _form(issuer), follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The provider is connected" in page
    assert "alpha-secret" not in page
    assert "kept (never shown)" in page
    with in_schema(system_a):
        app = SocialApp.objects.get()
        assert (app.provider, app.provider_id, app.client_id) == (
            "openid_connect",
            "sso",
            "alpha-client",
        )
        assert app.settings["server_url"] == issuer.base
        assert app.secret == ""  # sealed in our own row, not in allauth's
        sealed = SingleSignOn.objects.get().client_secret_sealed
        assert sealed and "alpha-secret" not in sealed
        event = AuditEvent.objects.get(action=AuditEvent.Action.SSO_CHANGED)
        assert event.detail["change"] == "connected"
        assert "alpha-secret" not in str(event.detail)


def test_a_failed_save_does_not_echo_the_secret(system_a, admin_a, issuer):
    client = client_for(system_a, admin_a)

    response = client.post(
        URL, _form(issuer, issuer="http://127.0.0.1:9/", client_secret="s3cr3t-xyz")
    )

    assert response.status_code == 400
    assert "s3cr3t-xyz" not in response.content.decode()


def test_an_issuer_that_does_not_answer_is_refused_clearly(system_a, admin_a):
    response = client_for(system_a, admin_a).post(URL, _form(Issuer(base="http://127.0.0.1:9")))

    assert response.status_code == 400
    assert "The issuer did not answer" in response.content.decode()
    with in_schema(system_a):
        assert not SocialApp.objects.exists()


def test_an_address_that_is_no_openid_issuer_is_refused_clearly(system_a, admin_a, issuer):
    response = client_for(system_a, admin_a).post(URL, _form(issuer, issuer=issuer.base + "/nope"))

    assert response.status_code == 400
    assert "not its OpenID settings" in response.content.decode()
    with in_schema(system_a):
        assert not SocialApp.objects.exists()


def test_an_issuer_must_be_https_and_public_in_production(system_a, admin_a, issuer, settings):
    settings.SSO_ALLOW_LOCAL_ISSUERS = False
    client = client_for(system_a, admin_a)

    plain = client.post(URL, _form(issuer))
    local = client.post(URL, _form(issuer, issuer="https://127.0.0.1:8443"))

    assert "Enter the issuer&#x27;s https:// address." in plain.content.decode()
    assert "must be on a public address" in local.content.decode()


def test_a_blank_secret_keeps_the_one_kept_and_a_new_issuer_drops_old_links(
    system_a, owner_a, agent_a, issuer
):
    sso_connect(system_a, owner_a, issuer)
    with in_schema(system_a):
        SocialAccount.objects.create(user=agent_a, provider="sso", uid="agent-9")
        sealed = SingleSignOn.objects.get().client_secret_sealed
    other = Issuer(clients={"alpha-client": "alpha-secret"}).start()
    try:
        response = client_for(system_a, owner_a).post(
            URL, _form(other, name="New ID", client_secret="")
        )
    finally:
        other.stop()

    assert response.status_code == 302
    with in_schema(system_a):
        assert SingleSignOn.objects.get().client_secret_sealed == sealed
        assert SocialApp.objects.get().name == "New ID"
        # A "sub" means something only within its issuer.
        assert not SocialAccount.objects.exists()
        event = AuditEvent.objects.filter(action=AuditEvent.Action.SSO_CHANGED).first()
        assert event.detail["links_removed"] == 1
        assert event.detail["secret_replaced"] is False


def test_the_policy_is_saved_and_audited(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer)
    client = client_for(system_a, owner_a)

    response = client.post(
        "/settings/sso/policy/", {"match_by_email": "on", "domain_join": "on"}, follow=True
    )

    assert "Single sign-on settings saved." in response.content.decode()
    with in_schema(system_a):
        policy = SingleSignOn.objects.get()
        assert (policy.password_login_allowed, policy.match_by_email, policy.domain_join) == (
            False,
            True,
            True,
        )
        event = AuditEvent.objects.filter(action=AuditEvent.Action.SSO_CHANGED).first()
        assert event.detail == {
            "change": "policy",
            "password_login_allowed": False,
            "match_by_email": True,
            "domain_join": True,
        }


def test_disconnecting_forgets_the_provider_and_its_secret(system_a, owner_a, issuer):
    sso_connect(system_a, owner_a, issuer, password_login_allowed=False)

    response = client_for(system_a, owner_a).post("/settings/sso/disconnect/")

    assert response.status_code == 302
    with in_schema(system_a):
        assert not SocialApp.objects.exists()
        policy = SingleSignOn.objects.get()
        assert policy.client_secret_sealed == "" and policy.password_login_allowed
        event = AuditEvent.objects.filter(action=AuditEvent.Action.SSO_CHANGED).first()
        assert event.detail == {"change": "disconnected"}
        assert User.objects.filter(pk=owner_a.pk).exists()


def test_the_page_reads_in_a_fixed_number_of_queries(
    system_a, owner_a, issuer, django_assert_max_num_queries
):
    sso_connect(system_a, owner_a, issuer)
    client = client_for(system_a, owner_a)
    for domain in ("acme.example", "acme.test", "example.org"):
        client.post("/settings/sso/domains/", {"domain": domain})

    with django_assert_max_num_queries(16):
        response = client.get(URL)
        assert response.status_code == 200
        assert response.content.decode().count("servicedesk-verify=") == 3
