"""Signing up on the public site: the form, the live check, confirmation, landing in."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, LoginHandoff, Role, SeatEvent, User
from legal.models import TermsAcceptance
from tenants.models import Customer, System
from tenants.onboarding import services as onboarding
from tenants.onboarding.models import Signup
from tests.support.tenancy import handoff_follow, handoff_form, in_schema

FORM = {
    "company_name": "Gamma Widgets",
    "slug": "gamma-widgets",
    "full_name": "Gia Gamma",
    "email": "Gia@Gamma.example",
    "password": "a-long-unusual-passphrase",
    "accept_terms": "on",
}


@pytest.fixture
def signed_up(public_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post(
            "/signup/", FORM, HTTP_USER_AGENT="GiaBrowser/2.0", REMOTE_ADDR="198.51.100.7"
        )
    assert response.status_code == 302, response.content
    (message,) = mail.outbox
    return re.search(r"/signup/confirm/([^/\s]+)/", message.body).group(1)


def test_the_form_asks_for_everything_and_links_the_terms(public_client):
    page = public_client.get("/signup/").content.decode()
    for field in ("company_name", "slug", "full_name", "email", "password", "accept_terms"):
        assert f'name="{field}"' in page
    assert 'href="/terms/"' in page
    assert 'data-subdomain-check="/signup/check/"' in page


def test_signing_up_creates_nothing_but_a_pending_signup_and_an_email(signed_up, public_client):
    signup = Signup.objects.get()
    assert (signup.slug, signup.email, signup.ip) == (
        "gamma-widgets",
        "gia@gamma.example",
        "198.51.100.7",
    )
    assert signup.password_hash.startswith("md5$") or "$" in signup.password_hash
    assert "a-long-unusual-passphrase" not in signup.password_hash
    assert not System.objects.filter(slug="gamma-widgets").exists()
    assert not Customer.objects.filter(name="Gamma Widgets").exists()
    (message,) = mail.outbox
    assert message.to == ["gia@gamma.example"]
    assert "gamma-widgets.localhost" in message.body


def test_bad_input_re_renders_with_errors_and_keeps_what_was_typed(public_client):
    response = public_client.post(
        "/signup/", {**FORM, "slug": "admin", "password": "123", "accept_terms": ""}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "“admin” is reserved." in page
    assert "Try “admin-help”." in page
    assert "too short" in page
    assert 'value="Gamma Widgets"' in page and 'value="Gia Gamma"' in page
    assert 'value="Gia@Gamma.example"' in page
    assert not Signup.objects.exists()


def test_a_taken_subdomain_is_refused_with_a_suggestion(public_client, system_a):
    response = public_client.post("/signup/", {**FORM, "slug": system_a.slug})

    assert response.status_code == 400
    assert (
        f"“{system_a.slug}” is already taken. Try “{system_a.slug}-help”."
        in response.content.decode()
    )


def test_the_live_check_answers_in_json(public_client, system_a):
    taken = public_client.get("/signup/check/", {"slug": system_a.slug}).json()
    free = public_client.get("/signup/check/", {"slug": "Fresh-Name"}).json()
    bad = public_client.get("/signup/check/", {"slug": "no_underscores"}).json()

    assert taken == {
        "slug": system_a.slug,
        "available": False,
        "message": f"“{system_a.slug}” is already taken.",
        "suggestion": f"{system_a.slug}-help",
    }
    assert free["available"] is True and free["slug"] == "fresh-name"
    assert bad["available"] is False and bad["suggestion"] is None


def test_a_pending_signup_holds_its_subdomain_until_it_expires(signed_up, public_client):
    assert (
        public_client.get("/signup/check/", {"slug": "gamma-widgets"}).json()["available"] is False
    )
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert public_client.get("/signup/check/", {"slug": "gamma-widgets"}).json()["available"]
        assert onboarding.signups_purge_expired() == 1
    assert not Signup.objects.exists()


def test_submitting_twice_keeps_one_pending_signup(public_client, signed_up):
    public_client.post("/signup/", FORM)
    assert Signup.objects.count() == 1


def test_the_confirmation_link_asks_before_it_creates(public_client, signed_up):
    response = public_client.get(f"/signup/confirm/{signed_up}/")
    assert response.status_code == 200
    assert b"Create my help desk" in response.content
    assert not System.objects.filter(slug="gamma-widgets").exists()


def test_confirming_creates_customer_system_owner_and_lands_him_logged_in(public_client, signed_up):
    Signup.objects.update(time_zone="Asia/Ho_Chi_Minh")  # as the browser said
    response = public_client.post(f"/signup/confirm/{signed_up}/")

    action, token = handoff_form(response)
    assert action == "http://gamma-widgets.localhost/welcome/"
    system = System.objects.get(slug="gamma-widgets")
    assert system.status == System.Status.TRIAL
    assert (system.language, system.time_zone) == ("en", "Asia/Ho_Chi_Minh")
    assert system.customer.name == "Gamma Widgets" and system.customer.email == "gia@gamma.example"
    assert (system.seats_used, system.owner_email) == (1, "gia@gamma.example")
    with in_schema(system):
        owner = User.objects.get()
        assert (owner.email, owner.full_name, owner.role) == (
            "gia@gamma.example",
            "Gia Gamma",
            Role.OWNER,
        )
        assert owner.check_password("a-long-unusual-passphrase")
        acceptance = TermsAcceptance.objects.get(user=owner)
        assert (acceptance.ip, acceptance.user_agent) == ("198.51.100.7", "GiaBrowser/2.0")
        assert SeatEvent.objects.get().seats_after == 1
        assert AuditEvent.objects.filter(action="system_created").exists()
    assert Signup.objects.get().password_hash == ""

    # The hand-over signs him in on the new host, once: cookies are host-only.
    browser = handoff_follow(response)
    home = browser.get("/")
    assert home.status_code == 200 and b"Welcome, Gia" in home.content
    again = Client(HTTP_HOST="gamma-widgets.localhost").post(
        "/welcome/", {"token": token}, HTTP_ORIGIN="http://localhost"
    )
    assert again.status_code == 302 and again["Location"] == "/accounts/login/"


def test_the_token_is_only_in_the_page_never_in_a_link(public_client, signed_up):
    response = public_client.post(f"/signup/confirm/{signed_up}/")

    _action, token = handoff_form(response)
    body = response.content.decode()
    assert "Location" not in response.headers
    assert body.count(token) == 1 and f"/{token}" not in body
    assert response["Referrer-Policy"] == "origin"  # so the post carries our Origin
    assert "no-store" in response["Cache-Control"]


def test_confirming_twice_makes_one_system(public_client, signed_up):
    public_client.post(f"/signup/confirm/{signed_up}/")

    second = public_client.post(f"/signup/confirm/{signed_up}/")

    assert second.status_code == 410
    assert b"already exists" in second.content
    assert System.objects.filter(slug="gamma-widgets").count() == 1
    assert Customer.objects.filter(name="Gamma Widgets").count() == 1


def test_an_expired_confirmation_creates_nothing(public_client, signed_up):
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = public_client.post(f"/signup/confirm/{signed_up}/")
    assert response.status_code == 410
    assert b"expired" in response.content
    assert not System.objects.filter(slug="gamma-widgets").exists()


def _hand_over(host: str, token: str):
    return Client(HTTP_HOST=host).post(
        "/welcome/", {"token": token}, HTTP_ORIGIN="http://localhost"
    )


def test_the_hand_over_expires_after_two_minutes(public_client, signed_up):
    _action, token = handoff_form(public_client.post(f"/signup/confirm/{signed_up}/"))

    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        response = _hand_over("gamma-widgets.localhost", token)

    assert response["Location"] == "/accounts/login/"


def test_a_hand_over_of_one_system_means_nothing_in_another(public_client, signed_up, system_a):
    _action, token = handoff_form(public_client.post(f"/signup/confirm/{signed_up}/"))

    response = _hand_over("alpha.localhost", token)

    assert response["Location"] == "/accounts/login/"
    system = System.objects.get(slug="gamma-widgets")
    with in_schema(system):
        assert LoginHandoff.objects.get().used_at is None


def test_signups_from_one_address_are_rate_limited(public_client, settings):
    settings.SIGNUPS_PER_HOUR_PER_IP = 2
    for n in range(2):
        assert (
            public_client.post(
                "/signup/", {**FORM, "slug": f"try-{n}", "email": f"u{n}@x.example"}
            ).status_code
            == 302
        )
    response = public_client.post("/signup/", {**FORM, "slug": "try-9", "email": "u9@x.example"})
    assert response.status_code == 400
    assert b"Too many signups" in response.content


def test_the_new_system_takes_the_pages_language_and_the_browsers_zone(
    public_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post(
            "/signup/", {**FORM, "time_zone": "Asia/Ho_Chi_Minh"}, HTTP_ACCEPT_LANGUAGE="vi"
        )
    assert response.status_code == 302
    signup = Signup.objects.get()
    assert (signup.language, signup.time_zone) == ("vi", "Asia/Ho_Chi_Minh")


def test_an_unknown_browser_zone_falls_back_to_utc(public_client):
    public_client.post("/signup/", {**FORM, "time_zone": "Nowhere/Atlantis"})
    assert Signup.objects.get().time_zone == "UTC"
