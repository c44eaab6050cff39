"""The outbox folder: writing a sent mail into it and reading mail back out of it.

One file per mail, `<UTC time>-<random>.eml`, so names sort by time and can't be guessed
into a path elsewhere (see NAME). Mail the application received (the SMTP receiver keeps a
copy in development) lies beside it, marked by a first header naming who received it
(RECEIVED_BY).
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import Header
from email.message import EmailMessage as MimeMessage
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage

NAME = re.compile(r"^\d{8}-\d{6}-\d{6}-[0-9a-f]{8}$")
SUFFIX = ".eml"
# Links end at white space, quotes, angle brackets; sentence punctuation after them is not
# part of them.
_TEXT_LINK = re.compile(r"""https?://[^\s<>"'`]+""")
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>"
RECEIVED_BY = "X-Devmail-Received-By"


@dataclass
class Mail:
    name: str
    sent_at: datetime
    subject: str
    to: str
    sender: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    html: str = ""
    links: list[str] = field(default_factory=list)
    attachments: list[tuple[str, int]] = field(default_factory=list)
    # Who received it, for mail that came in; empty for mail sent.
    received_by: str = ""


def outbox_dir() -> Path:
    return Path(settings.MAIL_OUTBOX_DIR)


def mail_save(*, message: EmailMessage, directory: Path) -> Path:
    """Write ``message`` as it would go on the wire."""
    return _write(message.message().as_bytes(), directory=directory)


def mail_save_received(*, raw: bytes, received_by: str, directory: Path | None = None) -> Path:
    """Keep a copy of mail the application received, as it arrived, under a first header
    saying who received it (``received_by``: which System, in the caller's words)."""
    label = Header(" ".join(received_by.split()), "utf-8").encode()
    return _write(f"{RECEIVED_BY}: {label}\r\n".encode() + raw, directory=directory or outbox_dir())


def _write(data: bytes, *, directory: Path) -> Path:
    """One new file in ``directory``; a reader never sees half a file."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    name = f"{now:%Y%m%d-%H%M%S-%f}-{secrets.token_hex(4)}"
    path = directory / f"{name}{SUFFIX}"
    partial = directory / f".{name}.part"
    partial.write_bytes(data)
    partial.rename(path)
    return path


def mail_parse(*, name: str, data: bytes) -> Mail:
    mime = message_from_bytes(data, policy=policy.default)
    assert isinstance(mime, MimeMessage)
    text, html_part, attachments = _parts(mime)
    return Mail(
        name=name,
        sent_at=datetime.strptime(name[:22], "%Y%m%d-%H%M%S-%f").replace(tzinfo=UTC),
        subject=str(mime.get("Subject", "")),
        to=", ".join(str(mime.get(header)) for header in ("To", "Cc") if mime.get(header)),
        sender=str(mime.get("From", "")),
        headers=[(key, str(value)) for key, value in mime.items()],
        text=text,
        html=html_part,
        links=links_in(text=text, html_part=html_part),
        attachments=attachments,
        # Only the first one counts: a received mail may carry one of its own.
        received_by=str(mime.get(RECEIVED_BY, "")),
    )


def links_in(*, text: str, html_part: str) -> list[str]:
    """Every http(s) link of the mail, whole, in order of appearance, each once."""
    found = [match.rstrip(_TRAILING) for match in _TEXT_LINK.findall(text)]
    for double, single in _HREF.findall(html_part):
        link = html.unescape(double or single).strip()
        if link.startswith(("http://", "https://")):
            found.append(link)
    return list(dict.fromkeys(found))


def mail_names(directory: Path | None = None) -> list[str]:
    """Names of the mail in the outbox, newest first."""
    folder = directory or outbox_dir()
    if not folder.is_dir():
        return []
    names = (path.name[: -len(SUFFIX)] for path in folder.glob(f"*{SUFFIX}"))
    return sorted((name for name in names if NAME.match(name)), reverse=True)


def mail_get(*, name: str, directory: Path | None = None) -> Mail | None:
    """The mail called ``name``; None when there is none (or the name is not one of ours)."""
    if not NAME.match(name):
        return None
    path = (directory or outbox_dir()) / f"{name}{SUFFIX}"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return mail_parse(name=name, data=data)


def _parts(mime: MimeMessage) -> tuple[str, str, list[tuple[str, int]]]:
    text = html_part = ""
    attachments: list[tuple[str, int]] = []
    for part in mime.walk():
        if part.is_multipart():
            continue
        assert isinstance(part, MimeMessage)
        if part.is_attachment():
            payload = part.get_payload(decode=True)
            size = len(payload) if isinstance(payload, bytes) else 0
            attachments.append((part.get_filename() or "(no name)", size))
        elif part.get_content_type() == "text/plain" and not text:
            text = part.get_content()
        elif part.get_content_type() == "text/html" and not html_part:
            html_part = part.get_content()
    return text, html_part, attachments
