"""The trash: tickets and files moved there vanish from every list, search, count, page and
mail; they can be restored, or deleted for good, until TRASH_DAYS later a beat job purges
them with their bytes on disk.

Admins and the owner may always trash; agents only when the owner allows it
(System.agents_may_delete). Every step is written to the System's audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Role, User
from accounts.permissions import Perm, can, require
from accounts.services.audit import audit_record
from servicedesk.schema import current_schema
from tenants import storage
from tenants.models import System
from tickets.models import Attachment, InboundMessage, Ticket

# Tickets (or files) purged per transaction by the beat job: a short lock, a bounded undo log.
PURGE_BATCH = 200
PURGED_BY = "Trash (after the retention period)"


def trash_allowed(*, user: User, system: System | None = None) -> bool:
    """May ``user`` move tickets and files to the trash, restore them and empty it?"""
    if can(user, Perm.TRASH):
        return True
    if user.is_anonymous or user.role != Role.AGENT or not can(user, Perm.TICKET_WORK):
        return False
    if system is None:
        system = System.objects.get(schema_name=current_schema())
    return system.agents_may_delete


def _require(actor: User, system: System | None) -> None:
    if not trash_allowed(user=actor, system=system):
        raise PermissionDenied(Perm.TRASH.value)


def purge_due_at(deleted_at: datetime) -> datetime:
    return deleted_at + timedelta(days=settings.TRASH_DAYS)


def _ticket_label(ticket: Ticket) -> str:
    return f"#{ticket.number} {ticket.subject}"


def _file_label(attachment: Attachment, number: int) -> str:
    return f"{attachment.original_name} (#{number})"


def stored_paths(attachments: Iterable[Attachment]) -> list[Path]:
    """Where the bytes of these files (and their thumbnails) are, resolved now: the storage
    finds a System's folder from the connection's schema, which on_commit may have left."""
    return [
        Path(stored.storage.path(stored.name))
        for attachment in attachments
        for stored in (attachment.file, attachment.thumbnail)
        if stored and stored.name
    ]


def release_bytes(attachments: Iterable[Attachment]) -> None:
    """Their bytes stop counting towards the System's storage, in this transaction: what
    each file was counted at, and its thumbnail as it is on disk."""
    nbytes = 0
    for attachment in attachments:
        nbytes += attachment.size
        if attachment.thumbnail and attachment.thumbnail.name:
            thumbnail = Path(attachment.thumbnail.path)
            nbytes += thumbnail.stat().st_size if thumbnail.exists() else 0
    if nbytes:
        storage.storage_release(system_id=storage.current_system_id(), nbytes=nbytes)


def unlink_on_commit(paths: list[Path]) -> None:
    def unlink() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    if paths:
        transaction.on_commit(unlink)


# --- tickets ------------------------------------------------------------------------------


@transaction.atomic
def ticket_trash(
    *, actor: User, ticket: Ticket, ip: str | None = None, system: System | None = None
) -> Ticket:
    _require(actor, system)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.deleted_at is not None:
        return ticket
    ticket.deleted_at = timezone.now()
    ticket.deleted_by = actor
    ticket.save(update_fields=["deleted_at", "deleted_by"])
    audit_record(
        action=AuditEvent.Action.TICKET_TRASHED,
        actor=actor,
        target=_ticket_label(ticket),
        ip=ip,
        detail={"number": ticket.number},
    )
    return ticket


@transaction.atomic
def ticket_restore(
    *, actor: User, ticket: Ticket, ip: str | None = None, system: System | None = None
) -> Ticket:
    _require(actor, system)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.deleted_at is None:
        return ticket
    ticket.deleted_at = None
    ticket.deleted_by = None
    ticket.save(update_fields=["deleted_at", "deleted_by"])
    audit_record(
        action=AuditEvent.Action.TICKET_RESTORED,
        actor=actor,
        target=_ticket_label(ticket),
        ip=ip,
        detail={"number": ticket.number},
    )
    return ticket


def _purge_tickets(tickets: list[Ticket], *, actor: User | None, ip: str | None) -> int:
    """Delete these trashed tickets with everything on them; their bytes go after commit."""
    if not tickets:
        return 0
    ids = [ticket.pk for ticket in tickets]
    files = list(
        Attachment.objects.filter(ticket_id__in=ids).only("ticket_id", "file", "thumbnail", "size")
    )
    file_counts = {pk: sum(1 for f in files if f.ticket_id == pk) for pk in ids}
    paths = stored_paths(files)
    # The mails they came from go with them (their raw bytes hold the same words).
    mails = list(InboundMessage.objects.filter(ticket_id__in=ids).only("raw", "size"))
    paths += [Path(mail.raw.path) for mail in mails if mail.raw]
    InboundMessage.objects.filter(pk__in=[mail.pk for mail in mails]).delete()
    # Tickets merged into one of these only point at it; they keep living.
    Ticket.objects.filter(merged_into_id__in=ids).update(merged_into=None)
    Ticket.objects.filter(pk__in=ids).delete()
    release_bytes(files)
    if mail_bytes := sum(mail.size for mail in mails):
        storage.storage_release(system_id=storage.current_system_id(), nbytes=mail_bytes)
    for ticket in tickets:
        audit_record(
            action=AuditEvent.Action.TICKET_PURGED,
            actor=actor,
            actor_label_override=None if actor else PURGED_BY,
            target=_ticket_label(ticket),
            ip=ip,
            detail={"number": ticket.number, "files": file_counts[ticket.pk]},
        )
    unlink_on_commit(paths)
    return len(tickets)


@transaction.atomic
def ticket_purge(
    *, actor: User, ticket: Ticket, ip: str | None = None, system: System | None = None
) -> None:
    """Delete a ticket in the trash for good, with its conversation, history and files."""
    _require(actor, system)
    locked = Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
    if locked is None:
        return  # purged already
    if locked.deleted_at is None:
        raise ValidationError(_("Only a ticket in the trash can be deleted for good."))
    _purge_tickets([locked], actor=actor, ip=ip)


# --- files --------------------------------------------------------------------------------


@transaction.atomic
def attachment_trash(
    *, actor: User, attachment: Attachment, ip: str | None = None, system: System | None = None
) -> Attachment:
    _require(actor, system)
    attachment = (
        Attachment.objects.select_for_update().select_related("ticket").get(pk=attachment.pk)
    )
    if attachment.deleted_at is not None:
        return attachment
    attachment.deleted_at = timezone.now()
    attachment.deleted_by = actor
    attachment.save(update_fields=["deleted_at", "deleted_by"])
    audit_record(
        action=AuditEvent.Action.ATTACHMENT_TRASHED,
        actor=actor,
        target=_file_label(attachment, attachment.ticket.number),
        ip=ip,
        detail={"number": attachment.ticket.number, "file": attachment.pk},
    )
    return attachment


@transaction.atomic
def attachment_restore(
    *, actor: User, attachment: Attachment, ip: str | None = None, system: System | None = None
) -> Attachment:
    _require(actor, system)
    attachment = (
        Attachment.objects.select_for_update().select_related("ticket").get(pk=attachment.pk)
    )
    if attachment.deleted_at is None:
        return attachment
    attachment.deleted_at = None
    attachment.deleted_by = None
    attachment.save(update_fields=["deleted_at", "deleted_by"])
    audit_record(
        action=AuditEvent.Action.ATTACHMENT_RESTORED,
        actor=actor,
        target=_file_label(attachment, attachment.ticket.number),
        ip=ip,
        detail={"number": attachment.ticket.number, "file": attachment.pk},
    )
    return attachment


def _purge_files(files: list[Attachment], *, actor: User | None, ip: str | None) -> int:
    if not files:
        return 0
    paths = stored_paths(files)
    Attachment.objects.filter(pk__in=[file.pk for file in files]).delete()
    release_bytes(files)
    for file in files:
        audit_record(
            action=AuditEvent.Action.ATTACHMENT_PURGED,
            actor=actor,
            actor_label_override=None if actor else PURGED_BY,
            target=_file_label(file, file.ticket.number),
            ip=ip,
            detail={"number": file.ticket.number, "file": file.pk},
        )
    unlink_on_commit(paths)
    return len(files)


@transaction.atomic
def attachment_purge(
    *, actor: User, attachment: Attachment, ip: str | None = None, system: System | None = None
) -> None:
    _require(actor, system)
    locked = (
        Attachment.objects.select_for_update(of=("self",))
        .select_related("ticket")
        .filter(pk=attachment.pk)
        .first()
    )
    if locked is None:
        return
    if locked.deleted_at is None:
        raise ValidationError(_("Only a file in the trash can be deleted for good."))
    _purge_files([locked], actor=actor, ip=ip)


# --- the beat job -------------------------------------------------------------------------


def trash_purge_due(*, as_of: datetime | None = None, batch: int = PURGE_BATCH) -> int:
    """Purge what has been in the trash longer than TRASH_DAYS, in the current System, one
    batch per transaction. Idempotent, and safe beside another run (SKIP LOCKED)."""
    cutoff = (as_of or timezone.now()) - timedelta(days=settings.TRASH_DAYS)
    purged = 0
    while True:
        with transaction.atomic():
            tickets = list(
                Ticket.objects.select_for_update(skip_locked=True)
                .filter(deleted_at__lte=cutoff)
                .only("pk", "number", "subject", "deleted_at")
                .order_by("deleted_at", "id")[:batch]
            )
            done = _purge_tickets(tickets, actor=None, ip=None)
        purged += done
        if done < batch:
            break
    while True:
        with transaction.atomic():
            files = list(
                Attachment.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("ticket")
                .filter(deleted_at__lte=cutoff)
                .order_by("deleted_at", "id")[:batch]
            )
            done = _purge_files(files, actor=None, ip=None)
        purged += done
        if done < batch:
            break
    return purged


@transaction.atomic
def agents_may_delete_set(*, actor: User, allowed: bool, ip: str | None = None) -> System:
    """The owner decides whether agents may use the trash (admins always may)."""
    require(actor, Perm.CHANGE_SETTINGS)
    system = System.objects.select_for_update().get(schema_name=current_schema())
    if system.agents_may_delete != allowed:
        system.agents_may_delete = allowed
        system.save(update_fields=["agents_may_delete"])
        audit_record(
            action=AuditEvent.Action.SETTINGS_CHANGED,
            actor=actor,
            ip=ip,
            detail={"agents_may_delete": [not allowed, allowed]},
        )
    return system
