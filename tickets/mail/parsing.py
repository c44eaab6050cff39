"""Raw bytes → ParsedMessage, with the standard library's ``email`` package."""

from __future__ import annotations

import email
from email import policy
from email.utils import getaddresses, parseaddr

from tickets.mail.parsed import ParsedAttachment, ParsedMessage


def _ids(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip("<>") for part in (value or "").split() if part.strip("<>"))


def parse(raw: bytes) -> ParsedMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    name, address = parseaddr(str(message.get("From", "")))
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    attachments = tuple(
        ParsedAttachment(
            filename=part.get_filename() or "file",
            content_type=part.get_content_type(),
            content=part.get_payload(decode=True) or b"",
        )
        for part in message.iter_attachments()
    )
    return ParsedMessage(
        message_id=(_ids(message.get("Message-ID")) or ("",))[0],
        in_reply_to=_ids(message.get("In-Reply-To")),
        references=_ids(message.get("References")),
        subject=" ".join(str(message.get("Subject", "")).split()),
        from_name=name,
        from_address=address.lower(),
        reply_to=parseaddr(str(message.get("Reply-To", "")))[1].lower(),
        to=tuple(a.lower() for _, a in getaddresses([str(message.get("To", ""))]) if a),
        cc=tuple(a.lower() for _, a in getaddresses([str(message.get("Cc", ""))]) if a),
        date=str(message.get("Date", "")),
        text=text,
        full_text=text,
        html="",
        attachments=attachments,
        auto_reason=_auto(message),
    )


def _auto(message) -> str:
    submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    if submitted != "no":
        return f"Auto-Submitted: {submitted}"
    precedence = str(message.get("Precedence", "")).strip().lower()
    return f"Precedence: {precedence}" if precedence in {"bulk", "junk", "list"} else ""
