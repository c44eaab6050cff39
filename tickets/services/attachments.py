"""Files on tickets and replies: checked by their content, stored per System, private.

The type comes from the bytes, never from the name or the browser's claim. Images are
verified by opening them and get a thumbnail (in a worker); videos play in the page; HTML,
SVG and anything unknown are only ever downloaded.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.models import User
from servicedesk.queue import enqueue_on_commit
from servicedesk.schema import current_schema
from tenants.models import System
from tickets.models import Attachment, Reply, Ticket, TicketEvent

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


def inspect(upload: UploadedFile) -> Inspected:
    """What the file really is, from its first bytes (and, for images, by decoding it)."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    markup = _looks_like_markup(head)
    if markup:
        return Inspected(markup, Attachment.Kind.FILE)
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    if mime in IMAGE_TYPES:
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            upload.seek(0)
            return Inspected("application/octet-stream", Attachment.Kind.FILE)
        upload.seek(0)
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


def check_uploads(files: Sequence[UploadedFile]) -> None:
    """Refuse the whole lot, naming the culprit, before anything is stored."""
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise ValidationError({"files": f"Attach at most {MAX_FILES_PER_MESSAGE} files at once."})
    limit_mb = System.objects.values_list("attachment_max_mb", flat=True).get(
        schema_name=current_schema()
    )
    for upload in files:
        size = upload.size or 0
        if size > limit_mb * 1024 * 1024:
            raise ValidationError(
                {"files": f"“{_safe_name(upload.name or 'file')}” is larger than {limit_mb} MB."}
            )
        if size == 0:
            raise ValidationError({"files": f"“{_safe_name(upload.name or 'file')}” is empty."})


def attachments_add(
    *,
    actor: User,
    ticket: Ticket,
    files: Sequence[UploadedFile],
    reply: Reply | None = None,
) -> list[Attachment]:
    """Store ``files`` on ``ticket`` (and ``reply``); thumbnails follow after commit."""
    if not files:
        return []
    check_uploads(files)
    saved = []
    for upload in files:
        found = inspect(upload)
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
    images = [a.pk for a in saved if a.kind == Attachment.Kind.IMAGE]
    if images:
        from tickets.tasks import attachment_thumbnails

        enqueue_on_commit(attachment_thumbnails, images)
    return saved


THUMBNAIL_SIZE = (480, 480)


def thumbnail_make(attachment: Attachment) -> bool:
    """Write a WebP thumbnail for an image; idempotent, so safe to retry."""
    if attachment.kind != Attachment.Kind.IMAGE or attachment.thumbnail:
        return False
    with attachment.file.open("rb") as source, Image.open(source) as opened:
        image: Image.Image = ImageOps.exif_transpose(opened)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, format="WEBP", quality=80)
    attachment.thumbnail.save(f"{attachment.pk}.webp", ContentFile(out.getvalue()), save=False)
    Attachment.objects.filter(pk=attachment.pk).update(thumbnail=attachment.thumbnail.name)
    return True
