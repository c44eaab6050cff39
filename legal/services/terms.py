"""Terms (and privacy) versions: publish, accept, decline, and tell everyone on time:
once when a version is published (with its effective date and the changes), and for the
terms once more when it takes effect (then the gate asks for acceptance)."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from accounts.services.audit import audit_record
from legal import selectors
from legal.models import TermsAcceptance, TermsNotice, TermsVersion
from servicedesk import mail, queue
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import ScheduledDeletion, System
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


def notice_is_short(*, effective_at: datetime, published_at: datetime) -> bool:
    """Fewer calendar days than TERMS_MIN_NOTICE_DAYS between publishing and effect."""
    earliest = timezone.localdate(published_at) + timedelta(days=settings.TERMS_MIN_NOTICE_DAYS)
    return timezone.localdate(effective_at) < earliest


def terms_notice_check(
    *, effective_at: datetime, short_notice_reason: str, published_at: datetime | None = None
) -> None:
    """Less than the minimum notice needs a reason, which people are shown."""
    published_at = published_at or timezone.now()
    if short_notice_reason.strip() or not notice_is_short(
        effective_at=effective_at, published_at=published_at
    ):
        return
    earliest = timezone.localdate(published_at) + timedelta(days=settings.TERMS_MIN_NOTICE_DAYS)
    raise ValidationError(
        _(
            "It takes effect sooner than the %(days)s days' notice people are given (%(date)s "
            "at the earliest). Give the reason for the shorter notice: it is shown to them."
        )
        % {"days": settings.TERMS_MIN_NOTICE_DAYS, "date": formats.date_format(earliest)}
    )


def terms_publish_check(
    *,
    document: str,
    version: str,
    effective_at: datetime,
    body: str,
    summary: str,
    short_notice_reason: str = "",
) -> None:
    """What a new version must be (admin's form asks the same before saving)."""
    version = version.strip()
    if not version or not body.strip() or not summary.strip():
        raise ValidationError(_("A version needs a number, a text and a summary of the changes."))
    if TermsVersion.objects.filter(document=document, version=version).exists():
        raise ValidationError(
            _("Version %(version)s already exists; versions never change.") % {"version": version}
        )
    latest = TermsVersion.objects.filter(document=document).order_by("-effective_at").first()
    if latest and effective_at <= latest.effective_at:
        raise ValidationError(
            _("It must take effect after version %(version)s (%(date)s UTC).")
            % {"version": latest.version, "date": f"{latest.effective_at:%Y-%m-%d %H:%M}"}
        )
    terms_notice_check(effective_at=effective_at, short_notice_reason=short_notice_reason)


@transaction.atomic
def terms_publish(
    *,
    document: str,
    version: str,
    effective_at: datetime,
    body: str,
    summary: str,
    short_notice_reason: str = "",
) -> TermsVersion:
    """Publish a version, now or scheduled. Everyone is told at once (the announcement task,
    queued on commit), and for the terms again when it takes effect."""
    terms_publish_check(
        document=document,
        version=version,
        effective_at=effective_at,
        body=body,
        summary=summary,
        short_notice_reason=short_notice_reason,
    )
    version = version.strip()
    now = timezone.now()
    short = notice_is_short(effective_at=effective_at, published_at=now)
    created = TermsVersion.objects.create(
        document=document,
        version=version,
        effective_at=effective_at,
        body=body.strip() + "\n",
        summary=summary.strip(),
        published_at=now,
        short_notice_reason=short_notice_reason.strip() if short else "",
    )
    transaction.on_commit(selectors.versions_forget)
    queue.enqueue_on_commit(PUBLICATION_ANNOUNCE, created.pk)
    return created


def terms_update_check(
    *, terms: TermsVersion, effective_at: datetime, short_notice_reason: str | None = None
) -> None:
    """A correction of a version not in effect yet; its notice still counts from its
    publication (``short_notice_reason`` None: the one recorded)."""
    if terms.effective_at <= timezone.now():
        raise ValidationError(
            _("Version %(version)s is in effect and can't be changed.") % {"version": terms.version}
        )
    if effective_at <= timezone.now():
        raise ValidationError(_("A correction can't move a version into the past."))
    if short_notice_reason is None:
        short_notice_reason = terms.short_notice_reason
    terms_notice_check(
        effective_at=effective_at,
        short_notice_reason=short_notice_reason,
        published_at=terms.published_at,
    )


@transaction.atomic
def terms_update_scheduled(
    *,
    terms: TermsVersion,
    body: str,
    summary: str,
    effective_at: datetime,
    short_notice_reason: str | None = None,
) -> TermsVersion:
    """Correct a version that is not in effect yet; once in effect it never changes. The
    notice is still counted from its publication (``short_notice_reason`` None: keep the
    recorded one)."""
    terms = TermsVersion.objects.select_for_update().get(pk=terms.pk)
    terms_update_check(
        terms=terms, effective_at=effective_at, short_notice_reason=short_notice_reason
    )
    if short_notice_reason is None:
        short_notice_reason = terms.short_notice_reason
    short = notice_is_short(effective_at=effective_at, published_at=terms.published_at)
    terms.body, terms.summary, terms.effective_at = body, summary, effective_at
    terms.short_notice_reason = short_notice_reason.strip() if short else ""
    terms.save(update_fields=["body", "summary", "effective_at", "short_notice_reason"])
    transaction.on_commit(selectors.versions_forget)
    return terms


# --- telling everyone when a version is published ------------------------------------------

PUBLICATION_ANNOUNCE = "legal.tasks.terms_publication_announce"
PUBLICATION_NOTIFY = "legal.tasks.terms_publication_notify_system"
# Whose people hear of it: those who work in their System. A suspended or terminated
# System sends only essential mail (servicedesk.mail's silencer) and its people can't work
# there; when it is active again, the gate still asks them to accept the terms in effect.
ANNOUNCED_STATUSES = (System.Status.TRIAL, System.Status.ACTIVE)


@transaction.atomic
def terms_publication_announce(*, version_id: int) -> int:
    """In public: queue the announcement in every System whose people work in it, once per
    version (the row lock and the mark make a retry or a second run queue nothing).
    Returns how many Systems."""
    version = TermsVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None or version.publication_announced_at is not None:
        return 0
    now = timezone.now()
    # A deletion past due: the System already answers 404 and is about to go.
    deleting = ScheduledDeletion.objects.filter(
        system=OuterRef("pk"), cancelled_at__isnull=True, due_at__lte=now
    )
    schemas = list(
        System.objects.filter(status__in=ANNOUNCED_STATUSES)
        .exclude(Exists(deleting))
        .values_list("schema_name", flat=True)
    )
    for schema in schemas:
        with schema_context(schema):
            queue.enqueue_on_commit(PUBLICATION_NOTIFY, version.pk)
    version.publication_announced_at = now
    version.save(update_fields=["publication_announced_at"])
    return len(schemas)


PUBLICATION_NOTICE_SQL = """
INSERT INTO legal_termspublicationnotice (user_id, terms_version_id, sent_at)
SELECT id, %s, now() FROM accounts_user
 WHERE is_active AND suspended_at IS NULL
ON CONFLICT DO NOTHING
RETURNING user_id
"""


@transaction.atomic
def terms_publication_notify_system(*, version: TermsVersion) -> int:
    """In one System: email every active person about the published ``version``: summary,
    effective date, the changes, and the reason for a short notice. Once each, ever; it is
    service mail, sent whatever their choice about announcements."""
    system = System.objects.get(schema_name=current_schema())
    if system.status not in ANNOUNCED_STATUSES:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(PUBLICATION_NOTICE_SQL, [version.pk])
        user_ids = [row[0] for row in cursor.fetchall()]
    if not user_ids:
        return 0
    if version.document == TermsVersion.Document.TERMS and version.in_effect:
        # In effect at once: this mail already says so; the beat's "in effect" notice
        # would tell them the same thing again.
        TermsNotice.objects.bulk_create(
            [TermsNotice(user_id=pk, terms_version_id=version.pk) for pk in user_ids],
            ignore_conflicts=True,
        )
    emails = User.objects.filter(pk__in=user_ids).values_list("email", flat=True)
    mail.send_templated(
        to=emails,
        template="terms_published",
        context={"system": system, **publication_links(version=version)},
    )
    return len(user_ids)


def publication_links(*, version: TermsVersion) -> dict:
    """The version, its full text and its line diff against the version before it, on
    the public site."""
    previous = (
        TermsVersion.objects.filter(
            document=version.document, effective_at__lt=version.effective_at
        )
        .order_by("-effective_at")
        .only("version")
        .first()
    )
    document = version.document
    text_url = tenant_selectors.public_url(path=f"/{document}/v/{quote(version.version, safe='')}/")
    diff_url = None
    if previous is not None:
        query = urlencode({"from": previous.version, "to": version.version})
        diff_url = tenant_selectors.public_url(path=f"/{document}/diff/?{query}")
    return {
        "version": version,
        "previous": previous,
        "is_terms": document == TermsVersion.Document.TERMS,
        "text_url": text_url,
        "diff_url": diff_url,
        "operator_email": settings.OPERATOR_EMAIL,
    }


def terms_announce_due() -> int:
    """Beat job: for each terms version that took effect and wasn't announced, queue one
    notice task per System. Safe to run twice: the notice tasks send once per person, and
    the version is marked only after every System's task is queued."""
    notify = queue.task("legal.tasks.terms_notify_system")

    now = timezone.now()
    due = TermsVersion.objects.filter(
        document=TermsVersion.Document.TERMS, effective_at__lte=now, announced_at__isnull=True
    )
    # A publication whose announcement never left (the broker was down at commit): again.
    # Announcing is idempotent, so one that is merely on its way is harmless to repeat.
    announce = queue.task(PUBLICATION_ANNOUNCE)
    for version_id in TermsVersion.objects.filter(
        publication_announced_at__isnull=True
    ).values_list("pk", flat=True):
        announce.delay(version_id)
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
