"""An admin's decisions on held and failed mail: release, retry, discard."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from servicedesk.queue import enqueue_on_commit
from tickets.mail.models import InboundMessage
from tickets.mail.services.intake import PROCESS
from tickets.mail.services.processing import inbound_process

Status = InboundMessage.Status


def _locked(message_pk: int) -> InboundMessage:
    return InboundMessage.objects.select_for_update().get(pk=message_pk)


def _audit(action: str, actor: User, row: InboundMessage) -> None:
    """The admin's decision in the audit log: whose mail, which, and why it was stopped."""
    sender = row.from_address or row.envelope_from or "no sender"
    audit_record(
        action=action,
        actor=actor,
        target=f"{sender}: {row.subject or '(no subject)'}",
        detail={"message": row.pk, "reason": row.reason[:300]},
    )


@transaction.atomic
def inbound_release(*, actor: User, message_pk: int) -> InboundMessage:
    """A held message is let in: it opens a ticket (or answers one) as if its sender might."""
    require(actor, Perm.MANAGE_MAIL)
    row = _locked(message_pk)
    if row.status != Status.HELD:
        raise ValidationError(_("Only held messages can be let in."))
    row.handled_by = actor
    row.save(update_fields=["handled_by"])
    _audit(AuditEvent.Action.MAIL_RELEASED, actor, row)
    return inbound_process(message_pk=row.pk, force=True)


@transaction.atomic
def inbound_retry(*, actor: User, message_pk: int) -> InboundMessage:
    """A failed message is read again (after a fix, say), by a worker."""
    require(actor, Perm.MANAGE_MAIL)
    row = _locked(message_pk)
    if row.status != Status.FAILED:
        raise ValidationError(_("Only failed messages can be retried."))
    _audit(AuditEvent.Action.MAIL_RETRIED, actor, row)
    row.status, row.reason, row.handled_by = Status.RECEIVED, "", actor
    row.save(update_fields=["status", "reason", "handled_by"])
    enqueue_on_commit(PROCESS, message_pk=row.pk)
    return row


@transaction.atomic
def inbound_discard(*, actor: User, message_pk: int) -> InboundMessage:
    """A held or failed message is thrown away: its raw bytes go, the line stays."""
    require(actor, Perm.MANAGE_MAIL)
    row = _locked(message_pk)
    if row.status not in (Status.HELD, Status.FAILED):
        raise ValidationError(_("Only held or failed messages can be discarded."))
    _audit(AuditEvent.Action.MAIL_DISCARDED, actor, row)
    if row.raw:
        row.raw.delete(save=False)
    row.status, row.handled_by, row.processed_at = Status.DISCARDED, actor, timezone.now()
    row.size = 0
    row.save()
    return row


def inbound_give_up(*, message_pk: int) -> None:
    InboundMessage.objects.filter(pk=message_pk, status=Status.RECEIVED).update(
        status=Status.FAILED,
        reason="Reading it stopped the worker every time it was tried.",
        processed_at=timezone.now(),
    )
