"""A parsed mail becomes a ticket or a reply, through the same services as the pages."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction

from accounts.models import User
from servicedesk.markdown import MAX_MARKDOWN_CHARS
from tenants import storage
from tenants.models import System
from tickets.mail.models import Contact
from tickets.mail.parsed import ParsedAttachment, ParsedMessage
from tickets.models import MAX_SUBJECT_CHARS, Reply, Ticket
from tickets.services.attachments import MAX_FILES_PER_MESSAGE, too_large_message
from tickets.services.tickets import ticket_create, ticket_reply

# Characters Markdown would read as formatting; mail text is shown as it was written.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")
_LIST_START = re.compile(r"^(\s*)([-+]|\d+[.)])(\s)")
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|sv|vs|tr|antw)\s*(\[\d+\])?\s*:\s*)+", re.I)


def text_to_markdown(text: str) -> str:
    """Plain mail text as Markdown that renders to the same text, line breaks kept."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = _SPECIAL.sub(r"\\\1", line.rstrip())
        line = _LIST_START.sub(r"\1\\\2\3", line)
        lines.append(line)
    # A backslash at the end of a line is CommonMark's hard line break.
    out = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        out.append(f"{line}\\" if line and following else line)
    return "\n".join(out).strip()


def clean_subject(subject: str) -> str:
    subject = _SUBJECT_PREFIX.sub("", subject).strip()
    return subject[:MAX_SUBJECT_CHARS] or "(no subject)"


def body_of(parsed: ParsedMessage, *, notes: list[str]) -> str:
    body = text_to_markdown(parsed.text or "")
    extra = "".join(f"\n\n_{note}_" for note in notes)
    room = MAX_MARKDOWN_CHARS - len(extra) - 200
    if len(body) > room:
        body = (
            body[:room].rstrip("\\")
            + "\n\n_(The message was longer; the rest is in the original.)_"
        )
    return (body + extra).strip()


def files_of(
    attachments: tuple[ParsedAttachment, ...], *, system: System
) -> tuple[list[UploadedFile], list[str]]:
    """The attachments today's rules accept, and a note for each one they don't (a mail
    can't be sent back to fix, so the rest of it still arrives)."""
    limit_mb = system.attachment_max_mb
    free = storage.usage_of(system).free
    files: list[UploadedFile] = []
    notes: list[str] = []
    for attachment in attachments:
        size = len(attachment.content)
        if len(files) >= MAX_FILES_PER_MESSAGE:
            notes.append(
                f"Not attached: “{attachment.filename}” (at most "
                f"{MAX_FILES_PER_MESSAGE} files per message)."
            )
        elif size == 0:
            notes.append(f"Not attached: “{attachment.filename}” is empty.")
        elif size > limit_mb * 1024 * 1024:
            notes.append(
                "Not attached: " + too_large_message(name=attachment.filename, limit_mb=limit_mb)
            )
        elif size > free:
            notes.append(f"Not attached: “{attachment.filename}” (the System's storage is full).")
        else:
            free -= size
            files.append(
                SimpleUploadedFile(attachment.filename, attachment.content, attachment.content_type)
            )
    return files, notes


def _with_files(write, *, files: list[UploadedFile], notes: list[str], parsed: ParsedMessage):
    """Write with the files; if they are refused after all (the storage filled meanwhile,
    a type refused by content), write without them and say which."""
    if not files:
        return write(body_of(parsed, notes=notes), files)
    try:
        with transaction.atomic():
            return write(body_of(parsed, notes=notes), files)
    except ValidationError as error:
        if not files:
            raise
        refused = "; ".join(error.messages)
        notes = [*notes, f"Not attached: {', '.join(f.name or 'file' for f in files)} ({refused})"]
        return write(body_of(parsed, notes=notes), [])


def contact_for(*, address: str, name: str) -> Contact:
    contact = Contact.objects.filter(email__iexact=address).first()
    if contact is None:
        contact, _ = Contact.objects.get_or_create(
            email=address.lower(), defaults={"name": name[:150]}
        )
    elif name and not contact.name:
        contact.name = name[:150]
        contact.save(update_fields=["name"])
    return contact


def ticket_from_mail(
    *, parsed: ParsedMessage, person: User | None, contact: Contact | None, system: System
) -> Ticket:
    files, notes = files_of(parsed.attachments, system=system)

    def write(body: str, files: list[UploadedFile]) -> Ticket:
        return ticket_create(
            actor=person,
            contact=contact,
            subject=clean_subject(parsed.subject),
            description=body or "(no text)",
            files=files,
            via_mail=True,
        )

    return _with_files(write, files=files, notes=notes, parsed=parsed)


def reply_from_mail(
    *,
    parsed: ParsedMessage,
    ticket: Ticket,
    person: User | None,
    contact: Contact | None,
    system: System,
) -> Reply:
    files, notes = files_of(parsed.attachments, system=system)

    def write(body: str, files: list[UploadedFile]) -> Reply:
        return ticket_reply(
            actor=person,
            contact=contact,
            ticket=ticket,
            body=body or ("" if files else "(no text)"),
            files=files,
            via_mail=True,
        )

    return _with_files(write, files=files, notes=notes, parsed=parsed)
