"""An import takes in only what an export writes, and trusts an archive signed elsewhere
even less: no password, no live invitation, no HTML it did not render itself."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, Invitation, User
from accounts.services.invitations import invitation_for_token
from tenants.models import System
from tenants.portability.models import SystemImport
from tenants.portability.services import contents, imports
from tests.exports.archives import repack
from tests.exports.test_round_trip import export_now
from tests.factories import PASSWORD
from tests.support.tenancy import host_of, in_schema
from tickets.models import Reply, Ticket

SCRIPT = '<img src=x onerror=alert(1)><script>alert("x")</script>'
INVITE_TOKEN = "a-token-someone-else-knows-0123456789"


@pytest.fixture
def pending_invitation(system_a, owner_a):
    """A pending invitation whose link (the token) works in System A."""
    from servicedesk.tokens import token_hash

    with in_schema(system_a):
        invitation = Invitation.objects.create(
            email="newbie@alpha.example",
            role=User.Role.AGENT,
            token_hash=token_hash(INVITE_TOKEN),
            invited_by=owner_a,
            invited_by_name=owner_a.full_name,
            expires_at=timezone.now() + timedelta(days=7),
        )
        assert invitation_for_token(INVITE_TOKEN) == invitation
    return invitation


def _with(column: str, value, *, row: int = -1):
    def edit(rows: list[dict]) -> list[dict]:
        rows[row][column] = value
        return rows

    return edit


def _login(system: System, email: str, password: str):
    return Client(HTTP_HOST=host_of(system)).post(
        "/accounts/login/", {"login": email, "password": password}
    )


@pytest.mark.parametrize(
    ("entry", "column", "value"),
    [
        # The last row, so a check of the first row alone would miss it.
        ("data/accounts.user.json", "password", make_password(PASSWORD, salt="same-everywhere")),
        ("data/accounts.invitation.json", "token_hash", "0" * 64),
        ("data/tickets.ticket.json", "search_vector", "'printer':1"),
    ],
    ids=["password", "invitation-token", "search-vector"],
)
def test_an_archive_holding_a_column_an_export_never_writes_is_refused(
    rich_system_a,
    pending_invitation,
    system_a,
    owner_a,
    django_capture_on_commit_callbacks,
    tmp_path,
    entry,
    column,
    value,
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    # Signed here, even: the rule is about what an export writes, not about who signed.
    forged = repack(path, tmp_path / "forged.zip", edits={entry: _with(column, value)}, sign=True)
    pooled_before = System.objects.filter(status=System.Status.POOLED).count()

    with pytest.raises(CommandError, match=rf"holds {column}, which an export never writes"):
        call_command("import_system", str(forged), "--slug", "alpha-forged")

    assert not System.objects.filter(slug="alpha-forged").exists()
    assert System.objects.filter(status=System.Status.POOLED).count() == pooled_before
    refused = SystemImport.objects.get(slug="alpha-forged")
    assert refused.status == SystemImport.Status.REFUSED and column in refused.reason


def test_an_archive_holding_second_factors_is_refused(
    rich_system_a, system_a, owner_a, django_capture_on_commit_callbacks, tmp_path
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    with in_schema(system_a):
        owner_id = User.objects.get(email=owner_a.email).pk
    secrets = [{"id": 1, "user_id": owner_id, "type": "totp", "data": {"secret": "JBSWY3DP"}}]
    forged = repack(
        path,
        tmp_path / "mfa.zip",
        edits={"data/mfa.authenticator.json": lambda _rows: secrets},
        sign=True,
    )

    with pytest.raises(CommandError, match="an export never holds this"):
        call_command("import_system", str(forged), "--slug", "alpha-mfa", "--trust-foreign")
    assert not System.objects.filter(slug="alpha-mfa").exists()


def test_a_foreign_archive_comes_in_with_no_password_no_live_invitation_and_safe_html(
    rich_system_a,
    pending_invitation,
    system_a,
    owner_a,
    agent_a,
    django_capture_on_commit_callbacks,
    tmp_path,
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    foreign = repack(
        path,
        tmp_path / "foreign.zip",
        edits={
            "data/tickets.ticket.json": _with("description_html", SCRIPT, row=0),
            "data/tickets.reply.json": _with("body_html", SCRIPT),
        },
    )
    with pytest.raises(CommandError, match="signature does not match"):
        call_command("import_system", str(foreign), "--slug", "alpha-foreign")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_system", str(foreign), "--slug", "alpha-foreign", "--trust-foreign")

    copy = System.objects.get(slug="alpha-foreign")
    # The passwords people had in System A don't open the copy.
    for person in (owner_a, agent_a):
        refused = _login(copy, person.email, PASSWORD)
        assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
    with in_schema(copy):
        assert not any(u.has_usable_password() for u in User.objects.all())
        # The invitation is still pending, but the link mailed from System A is dead.
        assert Invitation.objects.get(email="newbie@alpha.example").status == "pending"
        assert invitation_for_token(INVITE_TOKEN) is None
        ticket = Ticket.objects.get(subject="Printer jams")
        assert "onerror" not in ticket.description_html and "<script" not in ticket.description_html
        assert "<strong>E42</strong>" in ticket.description_html  # made again from Markdown
        for reply in Reply.objects.all():
            assert "onerror" not in reply.body_html and "<script" not in reply.body_html
            assert reply.body_html.startswith("<p>")
        imported = AuditEvent.objects.get(action=AuditEvent.Action.SYSTEM_IMPORTED)
        assert imported.detail["signed_here"] is False
        active = set(User.objects.filter(is_active=True).values_list("email", flat=True))
    assert Client(HTTP_HOST=host_of(copy)).get(f"/invite/{INVITE_TOKEN}/").status_code == 404

    # Every active person is mailed a link to choose a password; it works.
    asked = {m.to[0]: m for m in mail.outbox if "Choose your password" in m.subject}
    assert set(asked) == active and owner_a.email in active
    link = re.search(
        r"http://alpha-foreign\.localhost(/accounts/password/reset/key/\S+)",
        asked[owner_a.email].body,
    ).group(1)
    browser = Client(HTTP_HOST=host_of(copy))
    form_page = browser.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    chosen = "a-password-chosen-here-42"
    done = browser.post(set_url, {"password1": chosen, "password2": chosen})
    assert done.status_code == 302
    assert _login(copy, owner_a.email, chosen).status_code == 302


def test_an_archive_signed_here_sends_no_mail_and_keeps_its_renderings(
    rich_system_a, system_a, owner_a, django_capture_on_commit_callbacks
):
    _export, path = export_now(system_a, owner_a, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_system", str(path), "--slug", "alpha-signed")

    copy = System.objects.get(slug="alpha-signed")
    assert not [m for m in mail.outbox if "Choose your password" in m.subject]
    with in_schema(copy):
        assert not User.objects.get(email=owner_a.email).has_usable_password()
        imported = AuditEvent.objects.get(action=AuditEvent.Action.SYSTEM_IMPORTED)
        assert imported.detail["signed_here"] is True


def test_every_stored_rendering_has_the_markdown_it_is_made_from():
    """A new ``*_html`` column without its source would be imported empty: name it after
    the column it renders."""

    found = {}
    for model in contents.tenant_models():
        for target, source in imports.rendered_columns(model).items():
            found[f"{model._meta.label_lower}.{target}"] = source
    assert found == {
        "tickets.ticket.description_html": "description",
        "tickets.reply.body_html": "body",
        "tickets.article.body_html": "body",
    }
