"""Terms (and privacy) versions: publish, accept, decline, and tell everyone on time."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from accounts.services.audit import audit_record
from legal import selectors
from legal.models import TermsAcceptance, TermsVersion
from servicedesk import mail, queue
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import System
from tenants.selectors import REACHABLE_STATUSES


@transaction.atomic
def terms_accept(
    *, user: User, version: TermsVersion, ip: str | None, user_agent: str
) -> TermsAcceptance:
    """Record that ``user`` accepted ``version`` (once; a repeat returns the first record)."""
    acceptance, created = TermsAcceptance.objects.get_or_create(
        user=user,
        terms_version_id=version.pk,
        defaults={"version": version.version, "ip": ip, "user_agent": user_agent[:300]},
    )
    if created:
        audit_record(
            action=AuditEvent.Action.TERMS_ACCEPTED,
            actor=user,
            target=f"Terms {version.version}",
            ip=ip,
        )
    return acceptance


def terms_decline(*, user: User, version: TermsVersion, ip: str | None) -> None:
    audit_record(
        action=AuditEvent.Action.TERMS_DECLINED,
        actor=user,
        target=f"Terms {version.version}",
        ip=ip,
    )


def terms_publish_check(
    *, document: str, version: str, effective_at: datetime, body: str, summary: str
) -> None:
    """What a new version must be (admin's form asks the same before saving)."""
    version = version.strip()
    if not version or not body.strip() or not summary.strip():
        raise ValidationError("A version needs a number, a text and a summary of the changes.")
    if TermsVersion.objects.filter(document=document, version=version).exists():
        raise ValidationError(f"Version {version} already exists; versions never change.")
    latest = TermsVersion.objects.filter(document=document).order_by("-effective_at").first()
    if latest and effective_at <= latest.effective_at:
        raise ValidationError(
            f"It must take effect after version {latest.version} "
            f"({latest.effective_at:%Y-%m-%d %H:%M} UTC)."
        )


@transaction.atomic
def terms_publish(
    *,
    document: str,
    version: str,
    effective_at: datetime,
    body: str,
    summary: str,
) -> TermsVersion:
    """Publish a version, now or scheduled. People are told when it takes effect."""
    terms_publish_check(
        document=document, version=version, effective_at=effective_at, body=body, summary=summary
    )
    version = version.strip()
    created = TermsVersion.objects.create(
        document=document,
        version=version,
        effective_at=effective_at,
        body=body.strip() + "\n",
        summary=summary.strip(),
    )
    transaction.on_commit(selectors.versions_forget)
    return created


def terms_update_check(*, terms: TermsVersion, effective_at: datetime) -> None:
    if terms.effective_at <= timezone.now():
        raise ValidationError(f"Version {terms.version} is in effect and can't be changed.")
    if effective_at <= timezone.now():
        raise ValidationError("A correction can't move a version into the past.")


@transaction.atomic
def terms_update_scheduled(
    *, terms: TermsVersion, body: str, summary: str, effective_at: datetime
) -> TermsVersion:
    """Correct a version that is not in effect yet; once in effect it never changes."""
    terms = TermsVersion.objects.select_for_update().get(pk=terms.pk)
    terms_update_check(terms=terms, effective_at=effective_at)
    terms.body, terms.summary, terms.effective_at = body, summary, effective_at
    terms.save(update_fields=["body", "summary", "effective_at"])
    transaction.on_commit(selectors.versions_forget)
    return terms


def terms_announce_due() -> int:
    """Beat job: for each terms version that took effect and wasn't announced, queue one
    notice task per System. Safe to run twice: the notice tasks send once per person, and
    the version is marked only after every System's task is queued."""
    notify = queue.task("legal.tasks.terms_notify_system")

    now = timezone.now()
    due = TermsVersion.objects.filter(
        document=TermsVersion.Document.TERMS, effective_at__lte=now, announced_at__isnull=True
    )
    queued = 0
    for version in due:
        schemas = System.objects.filter(status__in=REACHABLE_STATUSES).values_list(
            "schema_name", flat=True
        )
        for schema in schemas:
            with schema_context(schema):
                notify.delay(version.pk)
            queued += 1
        TermsVersion.objects.filter(pk=version.pk, announced_at__isnull=True).update(
            announced_at=now
        )
    return queued


NOTICE_SQL = """
INSERT INTO legal_termsnotice (user_id, terms_version_id, sent_at)
SELECT id, %s, now() FROM accounts_user
 WHERE is_active AND suspended_at IS NULL
ON CONFLICT DO NOTHING
RETURNING user_id
"""


@transaction.atomic
def terms_notify_system(*, version: TermsVersion) -> int:
    """In one System: email every active person about ``version``, once each."""
    with connection.cursor() as cursor:
        cursor.execute(NOTICE_SQL, [version.pk])
        user_ids = [row[0] for row in cursor.fetchall()]
    if not user_ids:
        return 0
    system = System.objects.get(schema_name=current_schema())
    emails = User.objects.filter(pk__in=user_ids).values_list("email", flat=True)
    mail.send_templated(
        to=emails,
        template="terms_changed",
        context={
            "system": system,
            "terms": version,
            "terms_url": tenant_selectors.system_url(system=system, path="/terms/"),
        },
    )
    return len(user_ids)


def terms_accept_on_join(sender, *, user, ip: str | None, user_agent: str, **kwargs) -> None:
    """Joining through an invitation means accepting the terms in effect (the form asked):
    recorded in the joining transaction (accounts.hooks.person_joined)."""
    current = selectors.terms_current()
    if current is not None:
        terms_accept(user=user, version=current, ip=ip, user_agent=user_agent)
