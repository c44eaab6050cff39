"""Consents (reference customer, feature announcements) and the announcements themselves."""

from __future__ import annotations

from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import override
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import actor_label, audit_record
from legal.models import Announcement, ConsentChange
from servicedesk import mail
from servicedesk.queue import enqueue_on_commit
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import System

_FIELDS = {
    ConsentChange.Kind.REFERENCE: "consent_reference",
    ConsentChange.Kind.ANNOUNCEMENTS: "consent_announcements",
}


@transaction.atomic
def consents_update(*, actor: User, reference: bool, announcements: bool, ip: str | None) -> System:
    """The owner decides for the System; each change is kept with who and when."""
    require(actor, Perm.CHANGE_SETTINGS)
    system = System.objects.select_for_update().get(schema_name=current_schema())
    wanted = {
        ConsentChange.Kind.REFERENCE: reference,
        ConsentChange.Kind.ANNOUNCEMENTS: announcements,
    }
    for kind, value in wanted.items():
        field = _FIELDS[kind]
        if getattr(system, field) == value:
            continue
        setattr(system, field, value)
        system.save(update_fields=[field])
        ConsentChange.objects.create(
            system=system, kind=kind, value=value, changed_by=actor_label(actor)
        )
        # The audit log stores this text: in English whatever language the actor reads.
        with override(None):
            target = str(ConsentChange.Kind(kind).label)
        audit_record(
            action=AuditEvent.Action.CONSENT_CHANGED,
            actor=actor,
            target=target,
            ip=ip,
            detail={"to": "yes" if value else "no"},
        )
    return system


# --- unsubscribe links: signed per System, no login needed ------------------------------------


def _salt() -> str:
    return f"servicedesk.unsubscribe.{current_schema()}"


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=_salt())


def unsubscribe_user(token: str) -> User | None:
    try:
        payload = signing.loads(token, salt=_salt())
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=payload.get("u")).first()


# --- sending -------------------------------------------------------------------------------

SENDING_STATUSES = (System.Status.TRIAL, System.Status.ACTIVE)


@transaction.atomic
def announcement_send(*, announcement: Announcement) -> int:
    """Queue delivery in every System that agreed; returns how many Systems. Sending an
    announcement twice delivers it once (each person is recorded)."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.sent_at is None:
        announcement.sent_at = timezone.now()
        announcement.save(update_fields=["sent_at"])
    schemas = list(
        System.objects.filter(status__in=SENDING_STATUSES, consent_announcements=True).values_list(
            "schema_name", flat=True
        )
    )
    for schema in schemas:
        with schema_context(schema):
            enqueue_on_commit("legal.tasks.announcement_deliver", announcement.pk)
    return len(schemas)


DELIVERY_SQL = """
INSERT INTO legal_announcementdelivery (user_id, announcement_id, sent_at)
SELECT id, %s, now() FROM accounts_user
 WHERE is_active AND suspended_at IS NULL AND receives_announcements
ON CONFLICT DO NOTHING
RETURNING user_id
"""


@transaction.atomic
def announcement_deliver(*, announcement: Announcement) -> int:
    """In one System: email each person who may receive it, once, with an unsubscribe link."""
    system = System.objects.get(schema_name=current_schema())
    if not system.consent_announcements:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(DELIVERY_SQL, [announcement.pk])
        ids = [row[0] for row in cursor.fetchall()]
    for user in User.objects.filter(pk__in=ids):
        link = tenant_selectors.system_url(
            system=system, path=f"/announcements/unsubscribe/{unsubscribe_token(user)}/"
        )
        mail.send_templated(
            to=[user.email],
            template="announcement",
            context={"announcement": announcement, "system": system, "unsubscribe_url": link},
        )
    return len(ids)
