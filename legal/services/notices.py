"""Notices from outside a System: an authority's order, a rights holder's letter, anyone's
complaint naming one ticket, reply or file.

The operator records who sent it, their reference, the document, and the content it names
(checked to exist in that System's schema through servicedesk.content, which shows nothing
of it). Taking the content down goes through legal.services.takedowns like any other
takedown; the System's admins answer with a counter-notice there, and the notice follows.

The document is the operator's record: checked by its content (PDF, image or plain text,
up to TAKEDOWN_DOCUMENT_MAX_MB), stored under LEGAL_DOCUMENT_ROOT by the notice's random key
(never by the uploaded name), outside every path a web server serves, and downloaded only
through admin.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from legal.models import ContentKind, TakedownNotice
from servicedesk import content
from tenants.models import System

# What a notice's document may be, by its bytes: what a browser shows without running it.
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/tiff": ".tif",
    "text/plain": ".txt",
}
_HEAD = 64 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Target:
    system: System
    kind: str
    object_id: int
    ticket_number: int


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(
        (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml")
    )


def _is_text(head: bytes, *, whole: bool) -> bool:
    if b"\x00" in head or _looks_like_markup(head):
        return False
    try:
        # A character cut at the end of the first bytes is not an error: more follow.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=whole)
    except UnicodeDecodeError:
        return False
    return True


def document_check(document: UploadedFile) -> str:
    """The document's type, found from its bytes; a clear refusal for anything else."""
    limit_mb = settings.TAKEDOWN_DOCUMENT_MAX_MB
    size = document.size or 0
    if size == 0:
        raise ValidationError({"document": _("The document is empty.")})
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(
            {"document": _("The document is larger than %(mb)s MB.") % {"mb": limit_mb}}
        )
    document.seek(0)
    head = document.read(_HEAD)
    document.seek(0)
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    if mime is None and _is_text(head, whole=size <= len(head)):
        mime = "text/plain"
    if mime not in DOCUMENT_TYPES:
        raise ValidationError(
            {"document": _("Upload the notice as a PDF, an image or plain text.")}
        )
    return mime


def notice_target_find(
    *, system_slug: str, kind: str, ticket_number: int, object_id: int | None
) -> Target:
    """The content a notice names, if it exists: the System by its address, the ticket by
    its number, a reply or file by its id on that ticket. Nothing of it is read."""
    system = System.objects.filter(slug=system_slug.strip().lower()).first()
    if system is None:
        raise ValidationError({"system_slug": _("No System has this address.")})
    if kind not in ContentKind.values:
        raise ValidationError({"kind": _("Choose a ticket, a reply or a file.")})
    if kind != ContentKind.TICKET and object_id is None:
        raise ValidationError(
            {"object_id": _("Give the id of the reply or file (from the link the notice quotes).")}
        )
    with schema_context(system.schema_name):
        found = content.provider(kind).locate(number=ticket_number, object_id=object_id)
    if found is None:
        label = ContentKind(kind).label.lower()
        raise ValidationError(
            _("%(system)s has no %(kind)s like this on ticket #%(number)s.")
            % {"system": system.slug, "kind": label, "number": ticket_number}
        )
    return Target(system=system, kind=kind, object_id=found, ticket_number=ticket_number)


def document_path(notice: TakedownNotice) -> Path:
    """Where a notice's document is kept: by the notice's random key."""
    return Path(settings.LEGAL_DOCUMENT_ROOT) / f"notice-{notice.document_key.hex}"


def document_filename(notice: TakedownNotice) -> str:
    """The name it downloads under (the uploaded name is shown, never used as a path)."""
    return f"notice-{notice.pk}{DOCUMENT_TYPES.get(notice.document_type, '')}"


def _store(document: UploadedFile, path: Path) -> tuple[int, str]:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    size = 0
    document.seek(0)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in document.chunks(_CHUNK):
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _safe_name(name: str) -> str:
    cleaned = PurePath(name.replace("\\", "/")).name.strip().replace("\x00", "")
    return cleaned[:255] or "document"


@transaction.atomic
def notice_record(
    *,
    operator_email: str,
    sender_kind: str,
    sender_name: str,
    sender_contact: str,
    sender_private: bool,
    reference: str,
    received_at: datetime,
    notes: str,
    target: Target,
    document: UploadedFile,
) -> TakedownNotice:
    """Record a notice and keep its document. The content stays until the operator takes
    it down (legal.services.takedowns.takedown with ``notice``)."""
    if sender_kind not in TakedownNotice.SenderKind.values:
        raise ValidationError({"sender_kind": _("Choose who sent the notice.")})
    if not sender_name.strip() or not sender_contact.strip():
        raise ValidationError(_("Name the sender and how to reach them."))
    document_type = document_check(document)
    notice = TakedownNotice.objects.create(
        sender_kind=sender_kind,
        sender_name=sender_name.strip(),
        sender_contact=sender_contact.strip(),
        sender_private=sender_private,
        reference=reference.strip(),
        received_at=received_at,
        notes=notes.strip(),
        system=target.system,
        system_slug=target.system.slug or "",
        kind=target.kind,
        object_id=target.object_id,
        ticket_number=target.ticket_number,
        document_name=_safe_name(document.name or ""),
        document_type=document_type,
        document_size=0,
        document_sha256="",
        recorded_by=operator_email,
    )
    path = document_path(notice)
    try:
        size, sha256 = _store(document, path)
        TakedownNotice.objects.filter(pk=notice.pk).update(
            document_size=size, document_sha256=sha256
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    notice.document_size, notice.document_sha256 = size, sha256
    return notice


@transaction.atomic
def notice_update(*, notice: TakedownNotice, sender_private: bool, notes: str) -> TakedownNotice:
    """What the operator may change later: whether the System reads who sent it, his notes."""
    TakedownNotice.objects.filter(pk=notice.pk).update(
        sender_private=sender_private, notes=notes.strip()
    )
    notice.sender_private, notice.notes = sender_private, notes.strip()
    return notice


def notice_dismiss(*, notice: TakedownNotice) -> None:
    """The content stays (nothing was taken down from this notice)."""
    TakedownNotice.objects.filter(pk=notice.pk, status=TakedownNotice.Status.RECEIVED).update(
        status=TakedownNotice.Status.DISMISSED
    )


def notice_document(*, notice: TakedownNotice) -> Path:
    """The stored document, for an operator allowed to read notices."""
    path = document_path(notice)
    if not path.is_file():
        raise ValidationError(_("The document of this notice is missing from storage."))
    return path
