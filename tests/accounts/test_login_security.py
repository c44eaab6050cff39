"""Signing in to a System and keeping an account safe."""

import re
from datetime import timedelta

import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, SecurityReport, User
from accounts.services.seats import user_register
from tests.factories import PASSWORD
from tests.support.tenancy import client_for, host_of, in_schema


def _login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_the_login_form_offers_remember_me_unticked(client_a):
    page = client_a.get("/accounts/login/").content.decode()
    checkbox = re.search(r'<input[^>]*name="remember"[^>]*>', page).group(0)
    assert "checked" not in checkbox


def test_a_session_without_remember_me_ends_with_the_browser(system_a, agent_a):
    client = Client(HTTP_HOST=host_of(system_a))
    response = _login(client, agent_a.email)
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    with in_schema(system_a):
        assert client.session.get_expire_at_browser_close()


def test_logins_and_failures_are_audited(system_a, agent_a):
    client = Client(HTTP_HOST=host_of(system_a))
    _login(client, agent_a.email, "wrong-password")
    _login(client, agent_a.email)

    with in_schema(system_a):
        actions = list(
            AuditEvent.objects.order_by("created_at", "id").values_list("action", "target_label")
        )
    assert actions == [("login_failed", agent_a.email), ("login", agent_a.email)]


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(system_a, agent_a):
    client = Client(HTTP_HOST=host_of(system_a))
    for _ in range(5):
        assert _login(client, agent_a.email, "wrong-password").status_code == 200

    response = _login(client, agent_a.email)  # even the right password, for now

    assert response.status_code == 200
    assert "sign-in attempts" in response.content.decode()
    assert "paused for 5 minutes" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert _login(Client(HTTP_HOST=host_of(system_a)), agent_a.email)["Location"] == "/"


def test_a_lock_out_in_one_system_does_not_lock_the_same_address_elsewhere(system_a, system_b):
    email = "twin@example.com"
    for system in (system_a, system_b):
        with in_schema(system):
            user_register(email=email, full_name="Twin", role="agent", password=PASSWORD)
    locked = Client(HTTP_HOST=host_of(system_a))
    for _ in range(6):
        _login(locked, email, "wrong-password")
    # A is locked for real (even the right password is paused), B is not.
    assert "sign-in attempts" in _login(locked, email).content.decode()

    assert _login(Client(HTTP_HOST=host_of(system_b)), email)["Location"] == "/"


def test_an_idle_session_is_signed_out_after_the_system_timeout(system_a, agent_a):
    system_a.idle_timeout_minutes = 30
    system_a.save(update_fields=["idle_timeout_minutes"])
    client = Client(HTTP_HOST=host_of(system_a))
    _login(client, agent_a.email)
    assert client.get("/").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(minutes=20), tick=False):
        assert client.get("/").status_code == 200  # activity keeps it alive
    with time_machine.travel(timezone.now() + timedelta(minutes=55), tick=False):
        response = client.get("/settings/people/", follow=True)

    assert response.redirect_chain[0][0] == "/accounts/login/?next=/settings/people/"
    assert b"signed out after 30 minutes without activity" in response.content


def test_a_suspended_account_sees_the_reason_and_cannot_sign_in(system_a, agent_a):
    client = client_for(system_a, agent_a)
    with in_schema(system_a):
        User.objects.filter(pk=agent_a.pk).update(
            suspended_at=timezone.now(), suspension_reason="Ownership dispute #12 under review."
        )

    in_session = client.get("/")
    fresh = _login(Client(HTTP_HOST=host_of(system_a)), agent_a.email)

    for response in (in_session, fresh):
        assert response.status_code == 403
        assert b"Ownership dispute #12 under review." in response.content
    assert client.get("/").status_code == 302


def test_someone_used_my_account_secures_it_and_tells_admins_and_operator(
    system_a, owner_a, agent_a, django_capture_on_commit_callbacks
):
    phone, laptop = client_for(system_a, agent_a), client_for(system_a, agent_a)
    assert phone.get("/").status_code == laptop.get("/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post("/account/security/report/", REMOTE_ADDR="192.0.2.44")

    assert response.status_code == 200
    assert b"Your account is secured" in response.content
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 302
    with in_schema(system_a):
        agent = User.objects.get(pk=agent_a.pk)
        assert not agent.has_usable_password()
        assert not Session.objects.exists() or all(
            s.get_decoded().get("_auth_user_id") != str(agent.pk) for s in Session.objects.all()
        )
        assert AuditEvent.objects.filter(
            action="security_report", target_label=agent.email
        ).exists()
    report = SecurityReport.objects.get()
    assert (report.system, report.user_email, report.ip) == (system_a, agent_a.email, "192.0.2.44")
    assert report.status == SecurityReport.Status.OPEN
    to_owner = next(m for m in mail.outbox if m.to == [owner_a.email])
    assert "reported their account as compromised" in to_owner.subject
    to_agent = next(m for m in mail.outbox if m.to == [agent_a.email])
    reset_path = re.search(
        r"http://alpha\.localhost(/accounts/password/reset/key/\S+)", to_agent.body
    ).group(1)

    # The emailed link lets him choose a new password, and only then sign in again.
    reset = Client(HTTP_HOST=host_of(system_a))
    form_page = reset.get(reset_path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path
    done = reset.post(
        set_url, {"password1": "brand-new-passphrase-9", "password2": "brand-new-passphrase-9"}
    )
    assert done.status_code == 302
    again = _login(Client(HTTP_HOST=host_of(system_a)), agent_a.email, "brand-new-passphrase-9")
    assert again["Location"] == "/"


def test_the_security_page_links_password_email_mfa_and_sessions(system_a, agent_a):
    page = client_for(system_a, agent_a).get("/account/security/").content.decode()
    for url in (
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/2fa/",
        "/accounts/sessions/",
    ):
        assert f'href="{url}"' in page
    assert "Someone else used my account" in page


def test_mfa_setup_and_sessions_pages_render_inside_the_system(system_a, agent_a):
    client = client_for(system_a, agent_a)
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/accounts/sessions/").status_code == 200


def test_signing_out_everywhere_else_keeps_this_session(system_a, agent_a):
    here = Client(HTTP_HOST=host_of(system_a))
    elsewhere = Client(HTTP_HOST=host_of(system_a))
    _login(here, agent_a.email)
    _login(elsewhere, agent_a.email)
    with in_schema(system_a):
        assert UserSession.objects.filter(user=agent_a).count() == 2

    response = here.post("/accounts/sessions/", {"action": "logout"})

    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action="sessions_ended").exists()


def test_password_reset_mail_only_exists_for_accounts_of_this_system(
    system_a, system_b, user_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client(HTTP_HOST=host_of(system_a)).post(
            "/accounts/password/reset/", {"email": user_b.email}
        )
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        Client(HTTP_HOST=host_of(system_b)).post(
            "/accounts/password/reset/", {"email": user_b.email}
        )
    (message,) = mail.outbox
    assert "bravo.localhost" in message.body


def test_there_is_no_open_signup_inside_a_system(client_a):
    response = client_a.post(
        "/accounts/signup/", {"email": "x@example.com", "password1": "pw-very-long-1"}
    )
    assert b"Sign Up Closed" in response.content or response.status_code in {403, 404}
    assert client_a.get("/accounts/signup/").status_code != 302
