"""Which host answers with what: public site, Systems, and nothing else."""

from django.test import Client

from tenants import services
from tenants.models import System
from tests.support.tenancy import client_for


def test_the_public_host_shows_the_landing_page(public_client):
    response = public_client.get("/")

    assert response.status_code == 200
    assert b"A help desk for your company" in response.content


def test_www_is_the_public_site_too(db):
    response = Client(HTTP_HOST="www.localhost").get("/")
    assert response.status_code == 200
    assert b"A help desk for your company" in response.content


def test_an_unknown_subdomain_gets_our_404_page_not_the_public_site(db):
    response = Client(HTTP_HOST="unknown.localhost").get("/")

    assert response.status_code == 404
    assert b"There is no help desk at" in response.content
    assert b"unknown.localhost" in response.content
    assert b"A help desk for your company" not in response.content


def test_an_unknown_subdomain_404s_on_every_path(db):
    for path in ("/accounts/login/", "/admin/", "/healthz", "/static/css/app.css.missing"):
        assert Client(HTTP_HOST="nobody.localhost").get(path).status_code == 404


def test_a_foreign_host_is_refused(db):
    assert Client(HTTP_HOST="evil.example.com").get("/").status_code == 400


def test_a_system_answers_on_its_own_host(system_a, owner_a):
    response = client_for(system_a, owner_a).get("/")

    assert response.status_code == 200
    assert b"Alpha Support" in response.content
    assert owner_a.email.encode() in response.content
    assert response.context["request"].tenant == system_a


def test_admin_exists_only_on_the_public_host(system_a, public_client):
    assert public_client.get("/admin/login/")["Location"].startswith("/accounts/login/")
    assert client_for(system_a).get("/admin/").status_code == 404
    assert client_for(system_a).get("/admin/login/").status_code == 404


def test_a_pooled_schema_is_not_reachable_by_its_schema_name(db):
    if not System.objects.filter(status=System.Status.POOLED).exists():
        # Tests with committed data that ran earlier in this process may have used it up.
        services.pool_refill()
    pooled = System.objects.filter(status=System.Status.POOLED).first()
    assert pooled is not None
    # Underscores are not even valid in a host name (400); any other spelling has no domain.
    for host in (
        f"{pooled.schema_name}.localhost",
        f"{pooled.schema_name.replace('_', '-')}.localhost",
    ):
        assert Client(HTTP_HOST=host).get("/").status_code in {400, 404}


def test_every_response_carries_a_request_id_and_a_strict_csp(public_client):
    response = public_client.get("/")

    assert len(response["X-Request-ID"]) >= 8
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_well_formed_request_id_is_passed_through(public_client):
    response = public_client.get("/", headers={"X-Request-ID": "abc12345-trace"})
    assert response["X-Request-ID"] == "abc12345-trace"


def test_session_cookies_are_host_only(system_a, owner_a, settings):
    assert settings.SESSION_COOKIE_DOMAIN is None
    assert settings.CSRF_COOKIE_DOMAIN is None
    client = client_for(system_a)
    response = client.post("/accounts/login/", {"login": owner_a.email, "password": "nope"})
    for cookie in response.cookies.values():
        assert cookie["domain"] == ""
