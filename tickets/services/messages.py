"""Single messages edited and deleted after posting.

Who may is tickets.message_selectors' rule (the author for MESSAGE_EDIT_WINDOW, admins at
any time), checked again here under the row lock. An edit keeps the earlier text as a
MessageVersion that staff read; it sends no mail. A delete purges at once: the text, the
files (bytes on disk and in the storage counter), the earlier versions and the file names
in the history; the row stays as the "Deleted by … on …" line, and search is refreshed in
the same transaction. Neither the audit log (append-only) nor the ticket's history ever
holds the text, so nothing there needs purging.

Mail already sent is not recalled: a reply's mail is rendered when the reply is written and
queued when it commits, so a reply deleted a moment later has its mail on the way already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from accounts.services.audit import audit_record
from servicedesk.markdown import markdown_check_length, render_markdown
from tickets import search
from tickets.message_selectors import message_change_check, text_digest
from tickets.models import Attachment, MessageVersion, Reply, Ticket, TicketEvent
from tickets.services.trash import release_bytes, stored_paths, unlink_on_commit

DELETED_FILE_NAME = "(deleted)"


@dataclass(frozen=True)
class EditConflict:
    """Someone else changed the text after this person's form was shown: nothing written."""

    body: str  # the text as it is now
    edited_by: str
    edited_at: datetime | None


@dataclass(frozen=True)
class MessageEdit:
    message: Ticket | Reply
    changed: bool = False
    conflict: EditConflict | None = None


def _kind(message: Ticket | Reply) -> str:
    if isinstance(message, Ticket):
        return "description"
    return "note" if message.is_internal else "reply"


def _label(kind: str, number: int) -> str:
    # Never the text: the audit log is append-only and outlives a delete.
    return f"{kind.capitalize()} on #{number}"


def _text(message: Ticket | Reply) -> str:
    return message.description if isinstance(message, Ticket) else message.body


def _edited(message: Ticket | Reply) -> tuple[User | None, datetime | None]:
    if isinstance(message, Ticket):
        return message.description_edited_by, message.description_edited_at
    return message.edited_by, message.edited_at


def _locked(message: Ticket | Reply) -> Ticket | Reply:
    if isinstance(message, Ticket):
        return Ticket.objects.select_for_update().get(pk=message.pk)
    return (
        Reply.objects.select_for_update(of=("self",))
        .select_related("ticket", "edited_by")
        .get(pk=message.pk)
    )


@transaction.atomic
def message_edit(
    *,
    actor: User,
    message: Ticket | Reply,
    body: str,
    shown: str | None = None,
    ip: str | None = None,
) -> MessageEdit:
    """Replace the text of the description (``message`` a Ticket) or of a reply or note.

    ``shown`` is ``text_digest`` of the text the person's form showed: when the text changed
    since, nothing is written and the conflict is returned (his text is not lost: the form
    keeps it). Without ``shown`` the text is written whatever it is now.
    """
    message = _locked(message)
    message_change_check(user=actor, message=message)
    kind = _kind(message)
    if message.removed_reason:
        raise ValidationError(_("The operator removed this message; it can't be edited."))
    if isinstance(message, Reply) and message.erased_at is not None:
        raise ValidationError(_("This message was deleted."))
    body = body.replace("\r\n", "\n").strip()
    markdown_check_length(field="body", text=body)
    current = _text(message)
    if shown is not None and shown != text_digest(current):
        who, when = _edited(message)
        name = (who.get_full_name() or who.email) if who else _("someone")
        return MessageEdit(message, conflict=EditConflict(current, name, when))
    if body == current:
        return MessageEdit(message)
    has_files = isinstance(message, Reply) and message.attachments.live().exists()
    if not body and not has_files:
        raise ValidationError({"body": _("Write something: a message can't be left empty.")})
    now = timezone.now()
    ticket = message if isinstance(message, Ticket) else message.ticket
    last_edit = _edited(message)[1]
    MessageVersion.objects.create(
        ticket=ticket,
        reply=message if isinstance(message, Reply) else None,
        body=current,
        written_at=last_edit or message.created_at,
        replaced_at=now,
        replaced_by=actor,
    )
    if isinstance(message, Ticket):
        message.description = body
        message.description_html = render_markdown(body)
        message.description_edited_at, message.description_edited_by = now, actor
        fields = ["description", "description_html", "description_edited_at"]
        message.save(update_fields=[*fields, "description_edited_by"])
    else:
        message.body, message.body_html = body, render_markdown(body)
        message.edited_at, message.edited_by = now, actor
        message.save(update_fields=["body", "body_html", "edited_at", "edited_by"])
    TicketEvent.objects.create(
        ticket=ticket, actor=actor, kind=TicketEvent.Kind.EDITED, field=kind, created_at=now
    )
    audit_record(
        action=AuditEvent.Action.MESSAGE_EDITED,
        actor=actor,
        target=_label(kind, ticket.number),
        ip=ip,
        detail={"number": ticket.number, "reply": None if kind == "description" else message.pk},
    )
    search.refresh([ticket.pk])
    return MessageEdit(message, changed=True)


def _forget_file_names(files: list[Attachment]) -> None:
    """The history line "file attached" of each file names it: that name goes too."""
    for file in files:
        event = (
            TicketEvent.objects.filter(
                ticket_id=file.ticket_id,
                kind=TicketEvent.Kind.ATTACHED,
                actor_id=file.uploaded_by_id,
                new_value=file.original_name,
                created_at__gte=file.created_at,
            )
            .order_by("created_at", "id")
            .first()
        )
        if event is not None:
            event.new_value = DELETED_FILE_NAME
            event.save(update_fields=["new_value"])


@transaction.atomic
def message_delete(*, actor: User, message: Reply, ip: str | None = None) -> Reply:
    """Delete a reply or note for good, with its files and earlier texts; its place in the
    conversation reads "Deleted by … on …". The description can't be deleted (the ticket
    goes to the trash instead)."""
    reply = _locked(message)
    assert isinstance(reply, Reply)
    message_change_check(user=actor, message=reply)
    if reply.erased_at is not None:
        return reply
    kind = _kind(reply)
    files = list(Attachment.objects.filter(reply=reply).select_for_update())
    paths = stored_paths(files)
    release_bytes(f for f in files if f.erased_at is None)
    _forget_file_names(files)
    Attachment.objects.filter(pk__in=[f.pk for f in files]).delete()
    MessageVersion.objects.filter(reply=reply).delete()
    now = timezone.now()
    reply.body = reply.body_html = ""
    reply.edited_at = reply.edited_by = None
    reply.erased_at, reply.erased_by = now, actor
    reply.save(
        update_fields=["body", "body_html", "edited_at", "edited_by", "erased_at", "erased_by"]
    )
    ticket = reply.ticket
    TicketEvent.objects.create(
        ticket=ticket, actor=actor, kind=TicketEvent.Kind.DELETED, field=kind, created_at=now
    )
    audit_record(
        action=AuditEvent.Action.MESSAGE_DELETED,
        actor=actor,
        target=_label(kind, ticket.number),
        ip=ip,
        detail={"number": ticket.number, "reply": reply.pk, "files": len(files)},
    )
    search.refresh([ticket.pk])
    unlink_on_commit(paths)
    return reply


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment, ip: str | None = None) -> Attachment:
    """Delete one file of the description or of a reply for good (not the trash): its bytes
    leave the disk and the storage counter, its name leaves the history; its place reads
    "Deleted by … on …"."""
    file = (
        Attachment.objects.select_for_update(of=("self",))
        .select_related("ticket")
        .get(pk=attachment.pk)
    )
    message_change_check(user=actor, message=file)
    if file.erased_at is not None:
        return file
    if file.deleted_at is not None:
        raise ValidationError(_("This file is in the trash: delete it for good from there."))
    paths = stored_paths([file])
    release_bytes([file])
    _forget_file_names([file])
    now = timezone.now()
    file.file = ""
    file.thumbnail = None
    file.original_name = file.content_type = file.sha256 = ""
    file.size = 0
    file.kind = Attachment.Kind.FILE
    file.erased_at, file.erased_by = now, actor
    file.save()
    TicketEvent.objects.create(
        ticket=file.ticket, actor=actor, kind=TicketEvent.Kind.DELETED, field="file", created_at=now
    )
    audit_record(
        action=AuditEvent.Action.ATTACHMENT_DELETED,
        actor=actor,
        target=_label("file", file.ticket.number),
        ip=ip,
        detail={"number": file.ticket.number, "file": file.pk},
    )
    unlink_on_commit(paths)
    return file
