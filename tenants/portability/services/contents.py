"""What an export holds: every model of a System's schema (apart from secrets and
bookkeeping), the columns of each, and where each entry sits in the archive. The import
trusts exactly this and nothing more."""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django_tenants.utils import app_labels

from tickets.models import Attachment, InboundMessage

log = logging.getLogger(__name__)

# Never exported: framework bookkeeping, sessions, single-use login links, second factors and
# the single sign-on connection (their secrets must not leave), and numbers the database
# keeps by itself.
SKIPPED_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "auth.group_permissions",
    "accounts.user_groups",
    "accounts.user_user_permissions",
    "sessions.session",
    "admin.logentry",
    "usersessions.usersession",
    "account.emailconfirmation",
    "mfa.authenticator",
    "accounts.loginhandoff",
    # Single sign-on's connection: its client secret must not leave (sealed with this
    # deployment's key anyway), and allauth's tokens are never kept. People's links to the
    # provider and the verified domains are exported: reconnecting the same issuer after an
    # import finds everyone again.
    "socialaccount.socialapp",
    "socialaccount.socialtoken",
    "accounts.singlesignon",
    "tickets.statuscount",
    # The reports' rollup: derived from the tickets, rebuilt after an import.
    "tickets.reportday",
    "tickets.reporttime",
    "tickets.reportstate",
    # Webhooks: an endpoint's signing secret must not leave, and the deliveries are a
    # 30-day log of it; after an import the admins add their endpoints again.
    "tickets.webhookendpoint",
    "tickets.webhookdelivery",
    "tickets.webhookattempt",
}
# Fields left out of rows: secrets, and what is derived again on import. An import refuses
# an archive that holds any of them (tenants/services/imports.py).
HIDDEN_FIELDS = {
    "accounts.user": {"password"},
    "accounts.invitation": {"token_hash"},
    "tickets.ticket": {"search_vector", "note_vector"},
    "tickets.article": {"search_vector"},  # the knowledge base's, rebuilt too
    "tickets.attachment": {"thumbnail"},
    # A connected mailbox's password (encrypted, but with this deployment's key).
    "tickets.mailsettings": {"imap_password"},
}
# Left out too: the operator's own case notes on his records about the System. Archives
# made before they were left out hold them; an import drops them.
OPERATOR_NOTES = {
    # The person's report is his; the operator's investigation (where it came from, his
    # notes and conclusion) is not.
    "accounts.securityreport": {"ip", "user_agent", "operator_notes", "resolution"},
    # The operator arbitrates between a claimant (often not one of the System's people)
    # and the account: the claim, its evidence and the reasoning are his case file. The
    # System keeps which account was disputed, when, and who owns it afterwards.
    "accounts.accountdispute": {
        "claimant_name",
        "claimant_email",
        "claim",
        "evidence",
        "decision",
        "decided_by",
    },
    "legal.operatoraccess": {"operator_id"},  # his account here; the email is shown
    "legal.takedown": {"operator_email", "restored_by"},  # who of the operator acted
    "tenants.payment": {"recorded_by"},
    "tenants.restorerequest": {"handled_by", "overdue_alerted_at"},
}
# The operator's records that belong to the System's history (imported with it)...
PUBLIC_DATA = {
    "legal.consentchange": "system",
    "legal.operatoraccess": "system",
    "legal.operatoraccessview": "access__system",
    "legal.contentreport": "system",
    "legal.takedown": "system",
    "accounts.securityreport": "system",
    "accounts.accountdispute": "system",
}
# ...and the customer's copy of the business records (not imported: a new System starts
# its own billing).
PUBLIC_RECORDS = {
    "tenants.invoice": "system",
    "tenants.payment": "invoice__system",
    "tenants.planchange": "system",
    "tenants.lifecycleevent": "system",
    "tenants.restorerequest": "system",
}
CHUNK = 2000
FILE_CHUNK = 1024 * 1024
# Deflate what compresses; photos, videos and archives are stored as they are.
STORED_TYPES = ("image/", "video/", "audio/", "application/zip", "application/gzip")


# --- what goes in ---------------------------------------------------------------------------


def tenant_models() -> list[type[models.Model]]:
    """Every model whose table lives in a System's schema, apart from the skipped ones."""
    tenant_apps = set(app_labels(settings.TENANT_APPS))
    found = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.app_label not in tenant_apps or label in SKIPPED_MODELS:
            continue
        if label in settings.PUBLIC_ONLY_MODELS or model._meta.proxy:
            continue
        found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def columns(model: type[models.Model]) -> list[str]:
    label = model._meta.label_lower
    hidden = HIDDEN_FIELDS.get(label, set()) | OPERATOR_NOTES.get(label, set())
    return [field.attname for field in model._meta.concrete_fields if field.name not in hidden]


def data_name(model: type[models.Model], *, public: bool = False) -> str:
    return f"data/{'public/' if public else ''}{model._meta.label_lower}.json"


def attachments_with_bytes() -> QuerySet[Attachment]:
    """The files whose bytes go into the archive: every one (the trash too) but those deleted
    from their conversation, whose row is only the "deleted by" line."""
    return Attachment.objects.filter(erased_at__isnull=True).order_by("pk")


def attachment_path(*, number: int, attachment_id: int, original_name: str) -> str:
    """Where a file sits in the archive: under its ticket, with its original name."""
    name = original_name.replace("/", "_").replace("\\", "_").lstrip(".") or "file"
    return f"files/tickets/{number}/{attachment_id}/{name}"


def raw_mail_with_bytes() -> QuerySet[InboundMessage]:
    """Mail as it arrived, kept until an admin discards it or its ticket is purged."""
    return InboundMessage.objects.exclude(raw="").order_by("pk")


def raw_mail_path(*, message_id: int) -> str:
    """Where a message as it arrived sits in the archive: one .eml file any mail program
    opens, named by the row of ``data/tickets.inboundmessage.json`` that describes it."""
    return f"mail/inbound/{message_id}.eml"
