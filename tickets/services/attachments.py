"""Files on tickets and replies: checked by their content, stored per System, private.

The type comes from the bytes, never from the name or the browser's claim. Images are
verified by opening them (their header only: see images.py for the limits) and get a
thumbnail (in a worker); videos play in the page; HTML, SVG and anything unknown are only
ever downloaded.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from servicedesk.queue import enqueue_on_commit
from servicedesk.schema import current_schema
from tenants import storage
from tenants.models import System
from tickets.models import Attachment, Reply, Ticket, TicketEvent
from tickets.services import images

log = logging.getLogger(__name__)

IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
VIDEO_TYPES = {"video/mp4", "video/webm", "video/ogg", "video/quicktime"}
MAX_FILES_PER_MESSAGE = 20


@dataclass(frozen=True)
class Inspected:
    content_type: str
    kind: str


def _looks_like_markup(head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "text/html"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "image/svg+xml"
    return None


def inspect(upload: UploadedFile, *, name: str | None = None) -> Inspected:
    """What the file really is, from its first bytes (and, for images, their header).
    An image too large to accept raises ValidationError naming it."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    markup = _looks_like_markup(head)
    if markup:
        return Inspected(markup, Attachment.Kind.FILE)
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    if mime in IMAGE_TYPES:
        label = name or _safe_name(upload.name or "file")
        if not images.image_check(upload, mime=mime, name=label):
            return Inspected("application/octet-stream", Attachment.Kind.FILE)
        return Inspected(mime, Attachment.Kind.IMAGE)
    if mime in VIDEO_TYPES:
        return Inspected(mime, Attachment.Kind.VIDEO)
    if mime:
        return Inspected(mime, Attachment.Kind.FILE)
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return Inspected("text/plain", Attachment.Kind.FILE)
    return Inspected("application/octet-stream", Attachment.Kind.FILE)


def _safe_name(name: str) -> str:
    cleaned = PurePath(name.replace("\\", "/")).name.strip().replace("\x00", "")
    return cleaned[:255] or "file"


def too_large_message(*, name: str, limit_mb: int) -> str:
    return _("“%(name)s” is larger than %(limit)d MB.") % {
        "name": _safe_name(name),
        "limit": limit_mb,
    }


def check_uploads(files: Sequence[UploadedFile]) -> System:
    """Refuse the whole lot, naming the culprit, before anything is stored; returns the
    System (its limits and storage as read now)."""
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise ValidationError(
            {
                "files": _("Attach at most %(count)d files at once.")
                % {"count": MAX_FILES_PER_MESSAGE}
            }
        )
    system = System.objects.select_related("plan").get(schema_name=current_schema())
    limit_mb = system.attachment_max_mb
    for upload in files:
        size = upload.size or 0
        if size > limit_mb * 1024 * 1024:
            raise ValidationError(
                {"files": too_large_message(name=upload.name or "file", limit_mb=limit_mb)}
            )
        if size == 0:
            raise ValidationError(
                {"files": _("“%(name)s” is empty.") % {"name": _safe_name(upload.name or "file")}}
            )
    need = sum(upload.size or 0 for upload in files)
    usage = storage.usage_of(system)
    if need > usage.free:
        raise ValidationError({"files": storage.no_room_message(need=need, usage=usage)})
    return system


def attachments_add(
    *,
    actor: User | None,
    ticket: Ticket,
    files: Sequence[UploadedFile],
    reply: Reply | None = None,
) -> list[Attachment]:
    """Store ``files`` on ``ticket`` (and ``reply``); thumbnails follow after commit. The
    bytes count towards the System's storage in this same transaction."""
    if not files:
        return []  # no savepoint for nothing: most messages carry no file
    return _attachments_store(actor=actor, ticket=ticket, files=files, reply=reply)


@transaction.atomic
def _attachments_store(
    *,
    actor: User | None,
    ticket: Ticket,
    files: Sequence[UploadedFile],
    reply: Reply | None,
) -> list[Attachment]:
    system = check_uploads(files)
    # Every file is looked at before any is stored: a refused one leaves nothing behind.
    inspected = [(upload, inspect(upload)) for upload in files]
    saved: list[Attachment] = []
    for upload, found in inspected:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        attachment = Attachment(
            ticket=ticket,
            reply=reply,
            uploaded_by=actor,
            original_name=_safe_name(upload.name or "file"),
            content_type=found.content_type,
            kind=found.kind,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
        )
        attachment.file.save(attachment.original_name, upload, save=False)
        attachment.save()
        saved.append(attachment)
        TicketEvent.objects.create(
            ticket=ticket,
            actor=actor,
            kind=TicketEvent.Kind.ATTACHED,
            field="file",
            new_value=attachment.original_name,
        )
    need = sum(attachment.size for attachment in saved)
    # Checked again under the System's row lock: another upload may have taken the room
    # since check_uploads read it.
    if not storage.storage_reserve(system_id=system.pk, nbytes=need):
        for attachment in saved:
            attachment.file.delete(save=False)
        system.refresh_from_db(fields=["storage_used"])
        usage = storage.usage_of(system)
        raise ValidationError({"files": storage.no_room_message(need=need, usage=usage)})
    image_ids = [a.pk for a in saved if a.kind == Attachment.Kind.IMAGE]
    if image_ids:
        enqueue_on_commit("tickets.tasks.attachment_thumbnails", image_ids)
    return saved


def thumbnail_make(attachment: Attachment) -> bool:
    """Write a WebP thumbnail for an image; idempotent, so safe to retry. An image that
    can't be previewed within the memory budget becomes a plain file (no preview)."""
    if attachment.kind != Attachment.Kind.IMAGE or attachment.thumbnail:
        return False
    with attachment.file.open("rb") as source:
        made = images.thumbnail_webp(source)
    if made is None:
        log.warning("attachment %s: no preview (too large to decode, or broken)", attachment.pk)
        thumbnails_give_up(attachment_ids=[attachment.pk])
        return False
    attachment.thumbnail.save(f"{attachment.pk}.webp", ContentFile(made), save=False)
    with transaction.atomic():
        no_thumbnail = Q(thumbnail="") | Q(thumbnail__isnull=True)
        # Not onto a file deleted meanwhile (its bytes and row are gone from the counter).
        stored = Attachment.objects.filter(
            no_thumbnail, pk=attachment.pk, erased_at__isnull=True
        ).update(thumbnail=attachment.thumbnail.name)
        if stored:
            storage.storage_add(system_id=storage.current_system_id(), nbytes=len(made))
    if not stored:  # another run was quicker
        attachment.thumbnail.delete(save=False)
    return bool(stored)


def thumbnails_give_up(*, attachment_ids: Sequence[int]) -> int:
    """These images get no preview: the page shows them as files to download."""
    no_thumbnail = Q(thumbnail="") | Q(thumbnail__isnull=True)
    return Attachment.objects.filter(
        no_thumbnail, pk__in=attachment_ids, kind=Attachment.Kind.IMAGE
    ).update(kind=Attachment.Kind.FILE)
