"""Raw bytes → ParsedMessage, with the standard library's ``email`` package (policy.default,
through a subclass that only remembers parsed Content-* headers: tickets.mail.parts.POLICY).

``parse`` never raises on anything that looks like mail: odd charsets are decoded with
fallbacks (tickets.mail.charsets), broken MIME yields what can be read, and a failure inside
the reader itself falls back to the headers and the raw body as text, with the error noted in
``problems``. Only input that is not mail at all (empty, or no header line) raises
``Unparseable``.

Decisions worth knowing:
- Signatures of signed mail (``multipart/signed``: smime.p7s, signature.asc) are dropped: we
  don't verify them, and to an agent they are noise. Opaque S/MIME (``application/pkcs7-mime``,
  also encrypted mail) stays a file attachment: its text is not readable without the key.
- A forwarded message (``message/rfc822``) is attached as a ``.eml`` file and its text goes into
  ``full_text``; ``text`` is the sender's own note, or the forwarded text when there is no note.
- A calendar invite is attached (``invite.ics`` unless named) and adds one line
  "Invitation: <SUMMARY> at <DTSTART>" to ``text`` and ``full_text``.
- The returned message inside a delivery report is not attached: a bounce is never a ticket.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser

from tickets.mail.charsets import decode_bytes
from tickets.mail.htmltext import html_to_text, sanitize_html, text_to_html, too_complex
from tickets.mail.invites import invite_summary
from tickets.mail.loops import (
    authentication_failed,
    auto_reason,
    bounce_from_report,
    bounce_from_text,
)
from tickets.mail.names import clean_filename
from tickets.mail.parsed import Bounce, ParsedAttachment, ParsedMessage
from tickets.mail.parts import (
    POLICY,
    Headers,
    all_parts,
    message_bytes,
    part_bytes,
    part_children,
    part_disposition,
    part_filename,
    part_message,
    part_param,
    part_text,
    part_type,
)
from tickets.mail.quoting import new_text

logger = logging.getLogger(__name__)

KEPT_HEADERS = (
    "auto-submitted",
    "precedence",
    "list-id",
    "list-unsubscribe",
    "x-mailer",
    "user-agent",
    "return-path",
    "delivered-to",
    "x-original-to",
    "x-auto-response-suppress",
    "authentication-results",
)
_SIGNATURES = frozenset(
    {
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
        "application/pgp-signature",
    }
)
_MAX_DEPTH = 25
_HEADER_LINE = re.compile(rb"^(?:From |[!-9;-~]+:)")  # what the feed parser takes
_ANGLE_ID = re.compile(r"<([^<>\s]+)>")
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|tr|rv|i|vs|pd)\s*:", re.IGNORECASE)
_FORWARD_BODY = re.compile(
    r"^-{2,}\s*Forwarded message\s*-{2,}|^Begin forwarded message:|^-{2,}\s*Weitergeleitete",
    re.IGNORECASE | re.MULTILINE,
)


class Unparseable(ValueError):
    """The input is not a mail message at all (empty, or no header lines)."""


def parse(raw: bytes) -> ParsedMessage:
    """Read one raw message; see the module docstring for what it never does."""
    data = bytes(raw or b"").lstrip(b"\r\n\t ")
    if not data.strip():
        raise Unparseable("empty message")
    data = _from_first_header(data)
    try:
        message = BytesParser(policy=POLICY).parsebytes(data)
    except Exception as exc:  # noqa: BLE001 - the stdlib parser failing is itself a finding
        logger.warning("mail parser failed on the envelope: %s", type(exc).__name__)
        return _fallback(None, data, f"parser error: {type(exc).__name__}")
    if not list(message.keys()):
        raise Unparseable("no header lines: this is not a mail message")
    try:
        return _Reader(message).read()
    except Exception as exc:  # noqa: BLE001 - one odd message must still become something
        logger.warning("mail reader failed, using the raw body: %s", type(exc).__name__)
        return _fallback(message, data, f"parser error: {type(exc).__name__}")


def _from_first_header(data: bytes) -> bytes:
    """The message from its first well-formed header line on.

    A damaged first line (a stray byte in "Received:") would make the parser read every header
    as body; skipping it loses one header instead of the message.
    """
    if _HEADER_LINE.match(data):
        return data
    offset = 0
    for line in data[:8192].split(b"\n")[:50]:
        offset += len(line) + 1
        if _HEADER_LINE.match(data[offset:]):
            return data[offset:]
    raise Unparseable("no header lines: this is not a mail message")


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _nfc(value: str) -> str:
    """Text we can store and search: no control characters (PostgreSQL refuses NUL), NFC.

    windows-1258 and macOS write accents as combining marks; search and comparison want NFC.
    """
    value = _CONTROLS.sub("", value)
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def _ids(value: str) -> tuple[str, ...]:
    found = _ANGLE_ID.findall(value)
    if not found:
        found = [token.strip("<>,;") for token in value.split() if "@" in token]
    return tuple(dict.fromkeys(mid for mid in found if mid))


@dataclass
class _Segment:
    text: str = ""
    html: str = ""


class _Reader:
    def __init__(self, message: Message, depth: int = 0) -> None:
        self.message = message
        self.depth = depth
        self.headers = Headers(message)
        self.segments: list[_Segment] = []
        self.attachments: list[ParsedAttachment] = []
        self.forwarded: list[str] = []
        self.invites: list[str] = []
        self.bounce: Bounce | None = None
        self.problems: list[str] = []

    def read(self) -> ParsedMessage:
        headers = self.headers
        self._walk(self.message, self.depth)
        self._note_defects()
        subject = headers.text("subject")
        sender = (headers.addresses("from") or [("", "")])[0]
        own = "\n\n".join(piece for piece in (self._plain(s) for s in self.segments) if piece)
        full = "\n\n".join(part for part in (own, *self.forwarded, *self.invites) if part.strip())
        keep = bool(_FORWARD_SUBJECT.match(subject) or _FORWARD_BODY.search(own))
        text = new_text(own, keep_history=keep) if own.strip() else ""
        if not text and self.forwarded:
            text = "\n\n".join(self.forwarded)
        text = "\n\n".join(part for part in (text, *self.invites) if part)
        kept = {name: headers.text(name)[:500] for name in KEPT_HEADERS if name in headers.raw}
        for name in ("x-autoreply", "x-autorespond"):
            if name in headers.raw:
                kept[name] = headers.text(name)[:500]
        reason = auto_reason(kept, sender[1])
        bounce = self.bounce
        if bounce is None and reason:
            bounce = bounce_from_text(
                subject=subject,
                from_address=sender[1],
                text=full,
                ignore=[a for _, a in headers.addresses("to")],
            )
        if bounce is not None:
            reason = "bounce"
        return ParsedMessage(
            message_id=(_ids(headers.text("message-id")) or ("",))[0],
            in_reply_to=_ids(headers.text("in-reply-to")),
            references=_ids(headers.text("references")),
            subject=_nfc(subject),
            from_name=_nfc(sender[0]),
            from_address=sender[1],
            reply_to=(headers.addresses("reply-to") or [("", "")])[0][1],
            to=tuple(a for _, a in headers.addresses("to")),
            cc=tuple(a for _, a in headers.addresses("cc")),
            date=headers.text("date"),
            text=_nfc(text),
            full_text=_nfc(full),
            html=_nfc(self._html()),
            attachments=tuple(self.attachments),
            auto_reason=reason,
            bounce=bounce,
            authentication_failed=authentication_failed(headers.all("authentication-results")),
            headers=kept,
            problems=tuple(dict.fromkeys(self.problems)),
        )

    # The body ------------------------------------------------------------------------------

    def _walk(self, part: Message, depth: int) -> None:
        if depth > _MAX_DEPTH:
            self.problems.append("broken MIME: nested too deep")
            return
        ctype = part_type(part)
        if ctype in ("message/rfc822", "message/global"):
            self._forward(part, depth)
            return
        if part.is_multipart():
            children = part_children(part)
            if ctype == "multipart/alternative":
                self._alternative(children, depth)
            elif ctype == "multipart/signed":
                for child in children:
                    if part_type(child) not in _SIGNATURES:
                        self._walk(child, depth + 1)
            elif ctype == "multipart/report" and children:
                if part_param(part, "report-type") == "delivery-status":
                    self.bounce = bounce_from_report(part)
                self._walk(children[0], depth + 1)
            else:
                for child in children:
                    self._walk(child, depth + 1)
            return
        disposition = part_disposition(part)
        named = bool(part_filename(part))
        if ctype in ("text/calendar", "application/ics"):
            self._invite(part)
        elif ctype in ("text/plain", "text/html") and disposition != "attachment" and not named:
            text = part_text(part)
            if ctype == "text/html":
                self.segments.append(_Segment(html=text))
            else:
                self.segments.append(_Segment(text=text))
        elif ctype in _SIGNATURES:
            return  # a detached signature outside multipart/signed: noise as well
        else:
            self._attach(part, ctype)

    def _alternative(self, children: list[Message], depth: int) -> None:
        """One body in several forms: plain for text, the richest other form for HTML."""
        plain = _Segment()
        html = _Segment()
        for child in children:
            ctype = part_type(child)
            if ctype == "text/plain" and not plain.text:
                plain.text = part_text(child)
            elif ctype == "text/html" or ctype.startswith("multipart/"):
                saved, self.segments = self.segments, []
                self._walk(child, depth + 1)
                inner, self.segments = self.segments, saved
                if any(s.html for s in inner):
                    html = _Segment(html="\n".join(s.html or text_to_html(s.text) for s in inner))
                elif inner and not plain.text:
                    plain.text = "\n\n".join(s.text for s in inner)
            else:
                self._walk(child, depth + 1)
        if plain.text.strip() or html.html.strip():
            self.segments.append(_Segment(text=plain.text, html=html.html))

    def _forward(self, part: Message, depth: int) -> None:
        inner = part_message(part)
        if inner is None:
            self._attach(part, "message/rfc822")
            return
        reader = _Reader(inner, depth + 1)
        parsed = reader.read()
        content = message_bytes(inner)
        name = part_filename(part) or f"{parsed.subject or 'forwarded message'}.eml"
        if not name.lower().endswith(".eml"):
            name += ".eml"
        self.attachments.append(
            ParsedAttachment(
                filename=clean_filename(name, "message/rfc822"),
                content_type="message/rfc822",
                content=content,
            )
        )
        sender = f"{parsed.from_name} <{parsed.from_address}>".strip()
        lines = ["---------- Forwarded message ----------", f"From: {sender}"]
        lines += [f"Date: {parsed.date}", f"Subject: {parsed.subject}"]
        lines += [f"To: {', '.join(parsed.to)}", "", parsed.full_text]
        self.forwarded.append("\n".join(lines).strip())

    def _invite(self, part: Message) -> None:
        content = part_bytes(part)
        if any(a.content == content for a in self.attachments):
            return  # Outlook sends the same invite as a body alternative and as a file
        summary = invite_summary(decode_bytes(content, part.get_content_charset()))
        if summary:
            self.invites.append(summary)
        self.attachments.append(
            ParsedAttachment(
                filename=clean_filename(part_filename(part) or "invite.ics", "text/calendar"),
                content_type=part_type(part),
                content=content,
            )
        )

    def _attach(self, part: Message, ctype: str) -> None:
        content_id = Headers(part).text("content-id").strip("<> ")
        disposition = part_disposition(part)
        self.attachments.append(
            ParsedAttachment(
                filename=clean_filename(part_filename(part), ctype),
                content_type=ctype,
                content=part_bytes(part),
                content_id=content_id,
                inline=disposition == "inline" or (not disposition and bool(content_id)),
            )
        )

    def _plain(self, segment: _Segment) -> str:
        if segment.text.strip():
            return segment.text.strip("\n")
        return html_to_text(segment.html) if segment.html else ""

    def _html(self) -> str:
        if not any(s.html for s in self.segments):
            return ""
        html = "\n".join(s.html or text_to_html(s.text) for s in self.segments if s.html or s.text)
        if too_complex(html):
            self.problems.append("HTML too complex to display: shown as text")
            return text_to_html("\n\n".join(self._plain(s) for s in self.segments))
        return sanitize_html(html)

    def _note_defects(self) -> None:
        for part in all_parts(self.message):
            for defect in getattr(part, "defects", []):
                self.problems.append(f"broken MIME: {type(defect).__name__}")


def _fallback(message: Message | None, data: bytes, problem: str) -> ParsedMessage:
    """What we can say when reading failed: the headers if any, the raw body as text."""
    head, _sep, body = data.replace(b"\r\n", b"\n").partition(b"\n\n")
    headers = Headers(message) if message is not None else None
    sender = (headers.addresses("from") if headers else []) or [("", "")]
    text = _nfc(decode_bytes(body or head))
    return ParsedMessage(
        message_id=((_ids(headers.text("message-id")) or ("",))[0] if headers else ""),
        in_reply_to=_ids(headers.text("in-reply-to")) if headers else (),
        references=_ids(headers.text("references")) if headers else (),
        subject=_nfc(headers.text("subject")) if headers else "",
        from_name=_nfc(sender[0][0]),
        from_address=sender[0][1],
        reply_to="",
        to=tuple(a for _, a in headers.addresses("to")) if headers else (),
        cc=(),
        date=headers.text("date") if headers else "",
        text=text,
        full_text=text,
        html="",
        problems=(problem,),
    )
