"""Service notices: the operator writes, publishes, updates and ends them; the owners and
admins of every affected System are mailed each time, whatever their choice about
announcements (this is service mail, which the terms promise, not news).

Publishing and each update queue one fan-out task in public, which queues one delivery
task per affected System and marks the notice (or update) mailed. Each delivery records
one row per person, so a retry, a second run or the operator's "mail again" sends nothing
twice. Every change clears the cached banner of the Systems it touches.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services.audit import actor_label
from legal import notice_selectors as selectors
from legal.notice_models import ServiceNotice, ServiceNoticeDismissal, ServiceNoticeUpdate
from servicedesk import mail
from servicedesk.markdown import MAX_MARKDOWN_CHARS, markdown_check_length
from servicedesk.queue import enqueue_on_commit
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import ScheduledDeletion, System

FAN_OUT = "legal.tasks.service_notice_fan_out"
DELIVER = "legal.tasks.service_notice_deliver"


def service_notice_check(
    *,
    kind: str,
    title: str,
    body: str,
    all_systems: bool,
    systems: Iterable[System],
    starts_at: datetime,
    expected_end: datetime | None,
    event_at: datetime | None,
) -> None:
    """What a notice must be (admin's form asks the same before saving)."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the notice a title.")
    if not body.strip():
        errors["body"] = _("Say what happens and what it means for people.")
    elif len(body) > MAX_MARKDOWN_CHARS:
        errors["body"] = _("The text is too long.")
    if not all_systems and not list(systems):
        errors["systems"] = _("Choose the Systems it affects, or tick “All Systems”.")
    if expected_end is not None and expected_end <= starts_at:
        errors["expected_end"] = _("The expected end must come after the start.")
    if kind == ServiceNotice.Kind.FORCE_MAJEURE and event_at is None:
        errors["event_at"] = _(
            "When did the event happen? The written notice is due 3 days after it."
        )
    if errors:
        raise ValidationError(errors)


def _forget_banners(notice: ServiceNotice) -> None:
    # After commit: a page loading the banner meanwhile would cache the old one.
    schemas = list(selectors.notice_systems(notice=notice).values_list("schema_name", flat=True))
    transaction.on_commit(partial(selectors.banners_forget, schemas=schemas))


@transaction.atomic
def service_notice_save(
    *, actor: User, notice: ServiceNotice, systems: Iterable[System] | None = None
) -> ServiceNotice:
    """Save a draft, or correct a published notice (its text, times). Whom a published
    notice is about and what kind it is no longer change: they were told."""
    systems = list(systems) if systems is not None else None
    if notice.pk is not None:
        stored = ServiceNotice.objects.select_for_update().get(pk=notice.pk)
        if stored.published_at is not None:
            notice.kind, notice.all_systems = stored.kind, stored.all_systems
            notice.event_at = stored.event_at
            systems = None
        notice.published_at, notice.mailed_at = stored.published_at, stored.mailed_at
        notice.ended_at = stored.ended_at
    chosen = systems if systems is not None else list(notice.systems.all()) if notice.pk else []
    service_notice_check(
        kind=notice.kind,
        title=notice.title,
        body=notice.body,
        all_systems=notice.all_systems,
        systems=chosen,
        starts_at=notice.starts_at,
        expected_end=notice.expected_end,
        event_at=notice.event_at,
    )
    if notice.pk is None:
        notice.created_by = actor_label(actor)
    notice.save()
    if systems is not None:
        notice.systems.set([] if notice.all_systems else systems)
    if notice.published_at is not None:
        _forget_banners(notice)
    return notice


@transaction.atomic
def service_notice_publish(*, actor: User, notice: ServiceNotice) -> ServiceNotice:
    """Show it (banner from its start, status page now) and mail the owners and admins of
    every affected System. Publishing twice does nothing more."""
    notice = ServiceNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.published_at is not None:
        return notice
    service_notice_check(
        kind=notice.kind,
        title=notice.title,
        body=notice.body,
        all_systems=notice.all_systems,
        systems=notice.systems.all(),
        starts_at=notice.starts_at,
        expected_end=notice.expected_end,
        event_at=notice.event_at,
    )
    notice.published_at = timezone.now()
    notice.published_by = actor_label(actor)
    notice.save(update_fields=["published_at", "published_by", "updated_at"])
    enqueue_on_commit(FAN_OUT, notice.pk, 0)
    _forget_banners(notice)
    return notice


@transaction.atomic
def service_notice_update_post(
    *, actor: User, notice: ServiceNotice, body: str, end: bool = False
) -> ServiceNoticeUpdate:
    """News about a published notice: mailed like the notice, and it brings the banner back
    to everyone who dismissed it. ``end``: this update closes the notice."""
    notice = ServiceNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.published_at is None:
        raise ValidationError(_("Publish the notice before posting updates to it."))
    if notice.ended_at is not None:
        raise ValidationError(_("This notice has ended; write a new one."))
    if not body.strip():
        raise ValidationError({"body": _("Write the update.")})
    markdown_check_length(field="body", text=body)
    update = ServiceNoticeUpdate.objects.create(
        notice=notice, body=body.strip(), posted_by=actor_label(actor)
    )
    enqueue_on_commit(FAN_OUT, notice.pk, update.pk)
    if end:
        _end(notice=notice, actor=actor)
    _forget_banners(notice)
    return update


def _end(*, notice: ServiceNotice, actor: User) -> None:
    notice.ended_at = timezone.now()
    notice.ended_by = actor_label(actor)
    notice.save(update_fields=["ended_at", "ended_by", "updated_at"])


@transaction.atomic
def service_notice_end(*, actor: User, notice: ServiceNotice) -> ServiceNotice:
    """It is over: the banner goes, the status page lists it among past notices. Nobody is
    mailed (post an update that ends it to tell them)."""
    notice = ServiceNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.published_at is None:
        raise ValidationError(_("A draft is shown nowhere; delete it instead."))
    if notice.ended_at is None:
        _end(notice=notice, actor=actor)
        _forget_banners(notice)
    return notice


# --- mail -----------------------------------------------------------------------------------


@transaction.atomic
def service_notice_fan_out(*, notice_id: int, update_id: int = 0) -> int:
    """In public: queue the delivery of the notice (``update_id`` 0) or of one update in
    every affected System, and mark it mailed. Returns how many Systems."""
    notice = ServiceNotice.objects.select_for_update().filter(pk=notice_id).first()
    if notice is None or notice.published_at is None:
        return 0
    update = None
    if update_id:
        update = (
            ServiceNoticeUpdate.objects.select_for_update()
            .filter(pk=update_id, notice=notice)
            .first()
        )
        if update is None:
            return 0
    deleting = ScheduledDeletion.objects.filter(
        system=OuterRef("pk"), cancelled_at__isnull=True, due_at__lte=timezone.now()
    )
    schemas = list(
        selectors.notice_systems(notice=notice)
        .filter(status__in=selectors.MAILED_STATUSES)
        .exclude(Exists(deleting))
        .values_list("schema_name", flat=True)
    )
    for schema in schemas:
        with schema_context(schema):
            enqueue_on_commit(DELIVER, notice.pk, update_id)
    marked = update if update is not None else notice
    if marked.mailed_at is None:
        marked.mailed_at = timezone.now()
        marked.save(update_fields=["mailed_at"])
    return len(schemas)


DELIVERY_SQL = """
INSERT INTO legal_servicenoticedelivery (user_id, notice_id, update_id, sent_at)
SELECT id, %s, %s, now() FROM accounts_user
 WHERE is_active AND suspended_at IS NULL AND role IN ('owner', 'admin')
ON CONFLICT DO NOTHING
RETURNING user_id
"""


@transaction.atomic
def service_notice_deliver(
    *, notice: ServiceNotice, update: ServiceNoticeUpdate | None = None
) -> int:
    """In one System: mail its owners and admins the notice or the update, once each,
    whatever they chose about announcements. Returns how many people."""
    system = System.objects.get(schema_name=current_schema())
    if system.status not in selectors.MAILED_STATUSES or notice.published_at is None:
        return 0
    if not selectors.notice_affects(notice=notice, system_id=system.pk):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(DELIVERY_SQL, [notice.pk, update.pk if update else 0])
        user_ids = [row[0] for row in cursor.fetchall()]
    if not user_ids:
        return 0
    emails = User.objects.filter(pk__in=user_ids).values_list("email", flat=True)
    mail.send_templated(
        to=emails,
        template="service_notice",
        context={
            "system": system,
            "notice": notice,
            "update": update,
            "status_url": tenant_selectors.public_url(path=f"/status/{notice.pk}/"),
        },
        # A suspended System still hears of what happens to the service it pays for.
        essential=True,
    )
    return len(user_ids)


# --- the banner, per person -----------------------------------------------------------------


@transaction.atomic
def service_notice_dismiss(*, actor: User, notice_id: int, update_id: int) -> None:
    """``actor`` closed the banner as of update ``update_id``; a later one shows it again."""
    ServiceNoticeDismissal.objects.update_or_create(
        user=actor,
        notice_id=notice_id,
        defaults={"update_id": update_id, "dismissed_at": timezone.now()},
    )
    transaction.on_commit(
        partial(selectors.dismissed_forget, schema=current_schema(), user_id=actor.pk)
    )


@transaction.atomic
def service_notice_mail_again(*, notice: ServiceNotice) -> None:
    """The operator's retry (the broker was down when it was published): queue the fan-out
    of the notice and of each update again; people already mailed get nothing."""
    enqueue_on_commit(FAN_OUT, notice.pk, 0)
    for update_id in notice.updates.values_list("pk", flat=True):
        enqueue_on_commit(FAN_OUT, notice.pk, update_id)
