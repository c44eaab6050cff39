"""What the parser makes of one raw message: everything the rest of the channel reads.

The parser (tickets.mail.parsing) fills it from the raw bytes; nothing else looks at the
raw message except the "show original" page.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str  # decoded (RFC 2231 / encoded-words), never empty, no path parts
    content_type: str  # as the message declares it; the content decides what we store
    content: bytes
    content_id: str = ""  # without <>; set for inline parts a HTML body shows via cid:
    inline: bool = False


@dataclass(frozen=True)
class Bounce:
    """A delivery status notification about mail we sent."""

    recipients: tuple[str, ...]  # the addresses that failed, lower-cased
    permanent: bool  # 5.x.x (hard) rather than 4.x.x (soft)
    diagnostic: str = ""
    original_message_id: str = ""  # the Message-ID of our mail that bounced, without <>


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str  # without <>, "" when the message has none
    in_reply_to: tuple[str, ...]  # without <>
    references: tuple[str, ...]  # without <>, oldest first
    subject: str  # decoded, whitespace collapsed, "" when none
    from_name: str
    from_address: str  # lower-cased, "" when unreadable
    reply_to: str  # lower-cased, "" when none
    to: tuple[str, ...]  # addresses in To, lower-cased
    cc: tuple[str, ...]
    date: str  # the Date header as written ("" when none)
    text: str  # the new text: quoted history and signature folded away
    full_text: str  # the whole body as text (HTML converted), for "show original"
    html: str  # the HTML body sanitised for display ("" when the message has none)
    attachments: tuple[ParsedAttachment, ...] = ()
    auto_reason: str = ""  # why this is automatic mail we never answer ("" when human)
    bounce: Bounce | None = None
    authentication_failed: bool = False  # Authentication-Results says SPF/DKIM/DMARC fail
    headers: dict[str, str] = field(default_factory=dict)  # a few raw headers, lower-case
    # What the parser had to work around ("broken MIME: …", "parser error: …"), for admins.
    problems: tuple[str, ...] = ()

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this one answers, nearest first."""
        seen: dict[str, None] = {}
        for mid in (*self.in_reply_to, *reversed(self.references)):
            seen.setdefault(mid, None)
        return tuple(seen)
