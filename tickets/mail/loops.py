"""Mail we must never answer: auto-replies, lists, bounces; and failed sender authentication.

``auto_reason`` names why a message is automatic ("" for a person's mail). Mailing lists count
only with ``Precedence: list`` (or bulk/junk): a ``List-Id`` alone is what Google Groups adds
when a company's own support group forwards to us, and that mail is a person's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from email.message import Message

from tickets.mail.charsets import decode_bytes, decode_header_value
from tickets.mail.parsed import Bounce

_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
_MESSAGE_ID = re.compile(r"^Message-ID:\s*<([^>\s]+)>", re.IGNORECASE | re.MULTILINE)
_DAEMONS = ("mailer-daemon", "postmaster")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def auto_reason(headers: Mapping[str, str], from_address: str) -> str:
    """Why this is automatic mail, from its headers; "" when a person sent it."""
    auto_submitted = headers.get("auto-submitted", "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"auto-submitted: {auto_submitted.split(';')[0].strip()}"
    if headers.get("x-autoreply") or headers.get("x-autorespond"):
        return "auto-reply"
    suppress = headers.get("x-auto-response-suppress", "").lower()
    if "oof" in suppress or "all" in suppress.replace(",", " ").split():
        return "auto-reply"
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        if headers.get("list-id") or headers.get("list-unsubscribe"):
            return "mailing-list"
        return f"precedence: {precedence}"
    if from_address.split("@")[0] in _DAEMONS:
        return "mailer-daemon"
    if headers.get("return-path", "").strip() == "<>":
        return "null sender"
    return ""


def authentication_failed(results: Iterable[str]) -> bool:
    """Whether the receiving server's verdict (the topmost Authentication-Results) is a fail.

    DMARC fail, or SPF fail without a passing DKIM signature. Lower headers may be forged by
    the sender, so only the first counts.
    """
    first = next(iter(results), "")
    verdicts = re.findall(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", first.lower())
    if ("dmarc", "fail") in verdicts:
        return True
    return ("spf", "fail") in verdicts and ("dkim", "pass") not in verdicts


def _storable(
    *, recipients: tuple[str, ...], permanent: bool, diagnostic: str, original_message_id: str
) -> Bounce:
    """A Bounce without control characters: its fields are stored as they are."""

    def clean(value: str) -> str:
        return _CONTROLS.sub("", value)

    return Bounce(
        recipients=tuple(clean(r) for r in recipients if clean(r)),
        permanent=permanent,
        diagnostic=clean(diagnostic),
        original_message_id=clean(original_message_id),
    )


def _original_id(part: Message) -> str:
    """The Message-ID of the returned message (message/rfc822 or text/rfc822-headers)."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        value = decode_header_value(payload[0].get("Message-ID", ""))
        return value.strip().strip("<>").strip()
    raw = part.get_payload(decode=True)
    text = decode_bytes(raw if isinstance(raw, bytes) else b"", "utf-8")
    match = _MESSAGE_ID.search(text)
    return match.group(1) if match else ""


def bounce_from_report(report: Message) -> Bounce | None:
    """A Bounce from multipart/report; report-type=delivery-status, None if nothing failed."""
    recipients: list[str] = []
    statuses: list[str] = []
    diagnostics: list[str] = []
    original = ""
    payload = report.get_payload()
    for part in payload if isinstance(payload, list) else []:
        if not isinstance(part, Message):
            continue
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for block in _status_blocks(part):
                action = block.get("action", "").lower()
                recipient = block.get("final-recipient") or block.get("original-recipient", "")
                status = block.get("status", "")
                if not recipient or action not in ("failed", "delayed", ""):
                    continue
                if action == "" and not status.startswith(("4", "5")):
                    continue
                address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
                if address and address not in recipients:
                    recipients.append(address)
                    statuses.append(status)
                    if block.get("diagnostic-code"):
                        diagnostics.append(block["diagnostic-code"].split(";", 1)[-1].strip())
        elif ctype in ("message/rfc822", "text/rfc822-headers") and not original:
            original = _original_id(part)
    if not recipients:
        return None
    return _storable(
        recipients=tuple(recipients),
        permanent=any(status.startswith("5") for status in statuses),
        diagnostic=" ".join(" ".join(diagnostics).split())[:1000],
        original_message_id=original,
    )


def _status_blocks(part: Message) -> list[dict[str, str]]:
    """The field blocks of a message/delivery-status part, lower-cased names."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = [
            {name.lower(): decode_header_value(value) for name, value in block.items()}
            for block in payload
            if isinstance(block, Message)
        ]
        if any(blocks):
            return blocks
    raw = part.get_payload(decode=True)
    text = decode_bytes(raw if isinstance(raw, bytes) else str(payload).encode(), "utf-8")
    result = []
    for chunk in re.split(r"\n\s*\n", re.sub(r"\n[ \t]+", " ", text.replace("\r\n", "\n"))):
        fields = dict(re.findall(r"^([\w-]+):[ \t]*(.*)$", chunk, re.MULTILINE))
        result.append({name.lower(): value.strip() for name, value in fields.items()})
    return result


_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery (?:status notification|has failed|failure)|mail delivery failed|"
    r"returned mail|failure notice|could not be delivered|nicht zustellbar|non remis",
    re.IGNORECASE,
)
_FAILED_LIST = re.compile(
    r"(?:Delivery has failed to these recipients or groups:|following address\(es\) failed:|"
    r"could not be delivered to:?|delivery to the following recipients? failed[^:\n]*:|"
    r"I'm sorry to have to inform you that your message could not|"
    r"wasn't delivered to|Your message couldn't be delivered to)",
    re.IGNORECASE,
)


def bounce_from_text(
    *, subject: str, from_address: str, text: str, ignore: Iterable[str]
) -> Bounce | None:
    """Best effort for plain-text bounces (Exim, qmail, Exchange's readable form).

    Called only for mail already known to be automatic: a person writing "Undeliverable" in a
    subject is no bounce.
    """
    match = _FAILED_LIST.search(text)
    if match is None and not _BOUNCE_SUBJECT.search(subject):
        return None
    # The failed addresses are listed right after the phrase; the returned message follows.
    body = text[match.end() :] if match else text
    returned = re.search(
        r"^-{3,}.*(?:original message|message header|returned message)|^Return-Path:|"
        r"^Original message headers:",
        body,
        re.IGNORECASE | re.MULTILINE,
    )
    listed = body[: returned.start()] if returned else body[:2000]
    skip = {address.lower() for address in ignore} | {from_address}
    recipients: list[str] = []
    for address in _ADDRESS.findall(listed):
        address = address.lower().rstrip(".")
        if address not in skip | set(recipients) and address.split("@")[0] not in _DAEMONS:
            recipients.append(address)
    if not recipients:
        return None
    statuses = _STATUS.findall(text)
    diagnostic = next(
        (line.strip() for line in listed.splitlines() if re.search(r"\b[45]\d\d\b", line)), ""
    )
    id_match = _MESSAGE_ID.search(text)
    return _storable(
        recipients=tuple(recipients[:20]),
        permanent=("5" in statuses) if statuses else True,
        diagnostic=diagnostic[:1000],
        original_message_id=id_match.group(1) if id_match else "",
    )
