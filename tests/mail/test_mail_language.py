"""Mail about accounts, claims, backups, content, exports, forwarding, invitations,
invoices and operator access is written in the reader's language: each kind renders
wholly in Vietnamese (no English sentence of it left), and an invitation follows the
System's default language unless the reader chose his own."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail as outbox
from django.utils import timezone, translation
from django.utils.translation import gettext

from servicedesk import mail
from tenants.models import System
from tests.factories import UserFactory
from tests.i18n.marking import TEMPLATE_DIR, _has_words, template_messages
from tests.support.po import catalog
from tests.support.tenancy import client_for, in_schema

WHEN = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
SYSTEM = SimpleNamespace(name="Alpha Support", slug="alpha")
NOTICE = SimpleNamespace(
    pk=7,
    reference="MC-2026/118",
    sender_name="Ministry of Culture",
    sender_for_system="an authority, MC-2026/118",
    received_at=WHEN,
)
TAKEDOWN = SimpleNamespace(
    pk=3,
    notice=NOTICE,
    get_kind_display="File",
    ticket_number=42,
    system=SYSTEM,
    reason="A court order names this file.",
    appealed_by="owner@alpha.example",
    appeal="We hold the licence for it.",
)
INVOICE = SimpleNamespace(
    number="2026-0042",
    period_start=date(2026, 11, 1),
    last_day=date(2026, 11, 30),
    seats_billed=4,
    lines=[{"text": "Team: 4 × 10.00", "amount": "40.00"}],
    amount=Decimal("40.00"),
    currency="EUR",
    due_at=WHEN + timedelta(days=14),
)
BACKUP = SimpleNamespace(
    pk=5,
    system_slug="alpha",
    schema_name="alpha",
    started_at=WHEN,
    attempts=3,
    error="pg_dump: connection refused",
    verify_detail="tickets_ticket: 12 rows, manifest says 13",
)

CONTEXTS = {
    "account_claim_confirm": {
        "dispute": SimpleNamespace(claimant_name="Rita", account_email="owner@alpha.example"),
        "system": SYSTEM,
        "confirm_url": "http://alpha.localhost/account-claim/confirm/t0k3n/",
        "days": 3,
    },
    "account_claim_received": {
        "dispute": SimpleNamespace(
            pk=9,
            claimant_name="Rita",
            claimant_email="rita@example.org",
            account_email="owner@alpha.example",
            claim="I founded the company.",
            evidence="",
        ),
        "system": SYSTEM,
    },
    "announcement": {
        "announcement": SimpleNamespace(subject="New: dark mode", body="It is here."),
        "system": SYSTEM,
        "unsubscribe_url": "http://alpha.localhost/announcements/unsubscribe/t0k3n/",
    },
    "backup_failed": {"backup": BACKUP, "admin_url": "http://localhost/admin/"},
    "backup_verify_failed": {"backup": BACKUP, "admin_url": "http://localhost/admin/"},
    "content_appealed": {"takedown": TAKEDOWN},
    "content_removed": {
        "takedown": TAKEDOWN,
        "system": SYSTEM,
        "page_url": "http://alpha.localhost/settings/takedowns/",
    },
    "content_reported": {
        "report": SimpleNamespace(
            pk=11,
            reporter_email="agent@alpha.example",
            get_kind_display="Reply",
            ticket_number=42,
            get_category_display="Illegal content",
            note="",
        ),
        "system": SYSTEM,
    },
    "deletion_soon": {
        "system": SYSTEM,
        "until": WHEN,
        "export_url": "http://alpha.localhost/settings/export/",
    },
    "export_failed": {"system": SYSTEM, "export_url": "http://alpha.localhost/settings/export/"},
    "export_ready": {
        "system": SYSTEM,
        "export": SimpleNamespace(size=5_300_000, expires_at=WHEN, sha256="ab" * 32),
        "export_url": "http://alpha.localhost/settings/export/",
    },
    "forwarding_confirm": {
        "system": SYSTEM,
        "forwarding": SimpleNamespace(address="help@acme.example"),
        "support_address": "alpha@support.localhost",
        "confirm_code": "fwd-confirm-0123456789abcdef0123456789abcdef",
    },
    "import_choose_password": {
        "system": SYSTEM,
        "person": SimpleNamespace(get_short_name="Ada"),
        "reset_url": "http://alpha.localhost/accounts/password/reset/key/1-abc/",
        "login_url": "http://alpha.localhost/accounts/login/",
    },
    "invitation": {
        "system": SYSTEM,
        "invitation": SimpleNamespace(
            invited_by_name="", get_role_display="Agent", expires_at=WHEN
        ),
        "accept_url": "http://alpha.localhost/invite/t0k3n/",
    },
    "invoice": {
        "system": SYSTEM,
        "invoice": INVOICE,
        "invoice_url": "http://alpha.localhost/billing/invoices/2026-0042/",
    },
    "invoice_overdue": {
        "system": SYSTEM,
        "invoice": INVOICE,
        "step": "last",
        "suspend_on": WHEN + timedelta(days=30),
        "billing_url": "http://alpha.localhost/billing/",
    },
    "operator_access": {
        "system": SYSTEM,
        "access": SimpleNamespace(
            operator_email="ops@servicedesk.example",
            get_reason_display="Support request",
            note="Owner asked why #1 fails",
            granted_at=WHEN,
            expires_at=WHEN + timedelta(minutes=30),
        ),
        "page_url": "http://alpha.localhost/settings/operator-access/",
    },
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _templates(kind: str) -> list:
    return sorted((TEMPLATE_DIR / "emails").glob(f"{kind}.*"))


def _english_pieces(key) -> list[str]:
    """The English words of a catalog key, between its placeholders."""
    message = key[0] if isinstance(key, tuple) else key
    pieces = (piece.strip() for piece in PLACEHOLDER.split(message.split("\x04")[-1]))
    return [piece for piece in pieces if len(piece) >= 5 and _has_words(piece)]


@pytest.fixture(scope="module")
def vietnamese():
    return catalog("vi")


@pytest.mark.parametrize("kind", sorted(CONTEXTS))
def test_each_mail_is_written_wholly_in_vietnamese(kind, vietnamese):
    keys = [key for path in _templates(kind) for key in template_messages(path)]
    untranslated = sorted({str(key) for key in keys if not vietnamese.get(key)})
    context = {"site_name": "Service Desk", **CONTEXTS[kind]}
    with translation.override("en"):
        english = mail.render(kind, context)
    with translation.override("vi"):
        subject, text, _html = mail.render(kind, context)

    assert keys and not untranslated, f"{kind}: no Vietnamese for {untranslated}"
    assert text != english[1]
    if any(template_messages(TEMPLATE_DIR / "emails" / f"{kind}.subject.txt")):
        assert subject != english[0]
    left = sorted(
        {piece for key in keys for piece in _english_pieces(key) if piece in subject + text}
    )
    assert not left, f"{kind}: English left in the Vietnamese mail: {left}"


def test_times_in_mail_are_in_the_readers_zone_and_name_it():
    context = CONTEXTS["operator_access"]
    with translation.override("en"), timezone.override("Asia/Ho_Chi_Minh"):
        _subject, text, _html = mail.render("operator_access", context)

    assert "4:30 p.m. (Asia/Ho_Chi_Minh)" in text  # 09:30 UTC
    assert "UTC" not in text


@pytest.fixture
def system_in_vietnamese(system_a) -> System:
    System.objects.filter(pk=system_a.pk).update(language="vi", time_zone="Asia/Ho_Chi_Minh")
    system_a.refresh_from_db()
    return system_a


def _vietnamese(message: str, **values) -> str:
    with translation.override("vi"):
        translated = gettext(message)
    assert translated != message, f"no Vietnamese for {message!r} in the catalog"
    return translated % values


def test_an_invitation_from_a_system_in_vietnamese_is_written_in_vietnamese(
    system_in_vietnamese, admin_a, django_capture_on_commit_callbacks
):
    admin = client_for(system_in_vietnamese, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/settings/people/", {"email": "lan@example.vn", "role": "agent"})

    assert response.status_code == 302
    (message,) = outbox.outbox
    assert message.to == ["lan@example.vn"]
    assert message.subject == _vietnamese(
        "%(inviter)s invited you to %(system)s", inviter="Ada Admin", system="Alpha Support"
    )
    assert _vietnamese("Accept the invitation and choose your password here:") in message.body
    assert "(Asia/Ho_Chi_Minh)" in message.body


def test_the_same_mail_to_a_person_who_chose_english_is_in_english(
    system_in_vietnamese, django_capture_on_commit_callbacks
):
    with in_schema(system_in_vietnamese):
        reader = UserFactory(email="john@example.com", language="en", time_zone="")
        with django_capture_on_commit_callbacks(execute=True):
            mail.send_templated(
                to=[reader.email, "lan@example.vn"],
                template="invitation",
                context=CONTEXTS["invitation"] | {"system": system_in_vietnamese},
            )

    by_reader = {message.to[0]: message for message in outbox.outbox}
    assert by_reader["john@example.com"].subject == "An admin invited you to Alpha Support"
    assert "Accept the invitation and choose your password here:" in (
        by_reader["john@example.com"].body
    )
    assert by_reader["lan@example.vn"].subject == _vietnamese(
        "%(inviter)s invited you to %(system)s",
        inviter=_vietnamese("An admin"),
        system="Alpha Support",
    )
