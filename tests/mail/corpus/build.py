"""The manifest entry and the small MIME helpers the corpus modules write messages with."""

from __future__ import annotations

import base64
import quopri
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

OUTCOMES = ("ticket", "reply", "held", "ignored-auto", "bounce", "failed", "duplicate")

DEFAULTS = {
    "support": "support@acme.desk.example",
    "person": "anna.berger@acme-customer.example",
    "stranger": "someone@unknown-sender.example",
    "other_system_person": "bob@globex-customer.example",
    "ticket_message_id": "ticket-7.a1b2c3@acme.desk.example",
    "ticket_number": "12",
    "our_message_id": "notify-42.d4e5f6@acme.desk.example",
}


@dataclass(frozen=True)
class Sample:
    name: str
    outcome: str
    build: Callable[[], bytes]
    thread_by: str = ""
    in_reply_to: str = ""
    duplicate_of: str = ""
    large: bool = False
    expect: Mapping[str, Any] = field(default_factory=dict)

    def raw(self, values: Mapping[str, str] | None = None) -> bytes:
        return fill(self.build(), {**DEFAULTS, **(values or {})})

    def envelope(self, values: Mapping[str, str] | None = None) -> tuple[str, list[str]]:
        """SMTP ``MAIL FROM`` and ``RCPT TO`` for sending this sample.

        Bounces and mail with ``Return-Path: <>`` come from the null sender, as MTAs send them;
        the rest from the address in From (the null sender when there is none). Always to
        ``{support}``.
        """
        filled = {**DEFAULTS, **(values or {})}
        raw = self.raw(filled)
        head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
        null = self.outcome == "bounce" or re.search(r"(?im)^Return-Path:\s*<>", head)
        found = re.search(r"(?im)^From:.*?<?([\w.+-]+@[\w.-]+)>?\s*(?:\(.*\))?$", head)
        mail_from = "" if null or not found else found.group(1)
        return mail_from, [filled["support"]]


def fill(template: bytes, values: Mapping[str, str]) -> bytes:
    for key, value in values.items():
        template = template.replace(b"{" + key.encode() + b"}", value.encode())
    return template


def message(*chunks: str | bytes) -> bytes:
    """Join text and raw bytes into one message with CRLF line ends, as SMTP delivers it."""
    data = b"".join(chunk.encode() if isinstance(chunk, str) else chunk for chunk in chunks)
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def b64(data: bytes) -> str:
    encoded = base64.b64encode(data).decode()
    return "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76)) + "\n"


def qp(text: str, charset: str = "utf-8") -> str:
    return quopri.encodestring(text.replace("\n", "\r\n").encode(charset)).decode()


def word(text: str, charset: str = "utf-8") -> str:
    """An RFC 2047 encoded-word (base64), as clients write non-ASCII names and subjects."""
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


PLAIN_HEAD = """\
MIME-Version: 1.0
To: {support}
"""

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
