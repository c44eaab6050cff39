"""Reading one MIME part or header of a message that may be broken: every helper here returns
something usable instead of raising."""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import getaddresses
from functools import lru_cache

from tickets.mail.charsets import decode_bytes, decode_header_value, unescape_surrogates


class _Policy(EmailPolicy):
    """policy.default, remembering parsed MIME headers.

    The stdlib re-parses Content-Type on every ``get_content_type()`` and ``get_param()``, and
    the feed parser asks for it many times per part: two thirds of the time went there.
    """

    def header_fetch_parse(self, name, value):  # type: ignore[no-untyped-def]
        if hasattr(value, "name") or len(value) > 2000 or not name.lower().startswith("content-"):
            return super().header_fetch_parse(name, value)
        return _fetch_cached(name.lower(), value)


def _fetch_cached(name: str, value: str):  # type: ignore[no-untyped-def]
    return EmailPolicy.header_fetch_parse(policy.default, name, value)


_fetch_cached = lru_cache(maxsize=512)(_fetch_cached)  # type: ignore[assignment]
POLICY = _Policy()


_ADDRESS = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+$")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def parse_addresses(value: str) -> list[tuple[str, str]]:
    pairs = []
    try:
        parsed = getaddresses([value.replace("\n", " ")])
    except Exception:  # noqa: BLE001 - an unreadable address list is an empty one
        parsed = []
    for name, address in parsed:
        address = address.strip().lower()
        if _ADDRESS.match(address):
            pairs.append((decode_header_value(name).strip().strip('"').strip(), address))
    return pairs


class Headers:
    """Headers read from the raw values: encoded-words decoded by us, never raising."""

    def __init__(self, message: Message) -> None:
        self.raw: dict[str, list[str]] = {}
        try:
            for name, value in message.raw_items():  # type: ignore[attr-defined]
                self.raw.setdefault(name.lower(), []).append(str(value))
        except Exception:  # noqa: BLE001 - fall back to the items the message offers
            for name in message:
                self.raw.setdefault(name.lower(), []).append(str(message.get(name, "")))

    def raw_value(self, name: str) -> str:
        values = self.raw.get(name)
        return decode_header_value(values[0]) if values else ""

    def text(self, name: str) -> str:
        """The first such header, decoded, whitespace collapsed, no control characters."""
        return " ".join(_CONTROLS.sub(" ", self.raw_value(name)).split())

    def all(self, name: str) -> list[str]:
        values = self.raw.get(name, [])
        return [
            " ".join(_CONTROLS.sub(" ", decode_header_value(value)).split()) for value in values
        ]

    def addresses(self, name: str) -> list[tuple[str, str]]:
        # Split before decoding encoded-words: a decoded name may hold commas ("Doe, John").
        # Raw 8-bit bytes (SMTPUTF8 addresses) become text first.
        values = [unescape_surrogates(value) for value in self.raw.get(name, [])]
        return [pair for value in values for pair in parse_addresses(value)]


def part_type(part: Message) -> str:
    try:
        found = part.get_content_type()
    except Exception:  # noqa: BLE001 - an unreadable type is plain bytes
        return "application/octet-stream"
    return found if found.isascii() and found.isprintable() else "application/octet-stream"


def part_disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:  # noqa: BLE001
        return ""


def part_children(part: Message) -> list[Message]:
    payload = part.get_payload()
    if not isinstance(payload, list):
        return []
    return [child for child in payload if isinstance(child, Message)]


def all_parts(message: Message) -> list[Message]:
    found: list[Message] = []
    stack = [message]
    while stack and len(found) < 500:
        part = stack.pop()
        found.append(part)
        stack.extend(c for c in part_children(part) if isinstance(c, Message))
    return found


_WINDOWS_PATH = re.compile(r'(?:file)?name="([^"]*\\[^"]*)"', re.IGNORECASE)


def part_filename(part: Message) -> str:
    # Windows clients send "C:\\Users\\…" unescaped; the parser would read the backslashes as
    # quoting and glue the path together. Take the raw value so the path can be stripped.
    for header, values in Headers(part).raw.items():
        match = _WINDOWS_PATH.search(values[0]) if header.startswith("content-") else None
        if match:
            return decode_header_value(match.group(1))
    try:
        found = part.get_filename() or part.get_param("name") or ""
    except Exception:  # noqa: BLE001 - RFC 2231 gone wrong: read the parameter by hand
        match = re.search(r'name\*?=\s*"?([^";\r\n]+)', str(part.get("Content-Disposition", "")))
        found = match.group(1) if match else ""
    if isinstance(found, tuple):  # compat32-style (charset, language, value)
        found = found[2]
    return decode_header_value(str(found))


def part_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - undecodable transfer encoding: keep the raw text
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def part_text(part: Message) -> str:
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001
        charset = None
    text = decode_bytes(part_bytes(part), charset).replace("\r\n", "\n").replace("\r", "\n")
    if part_param(part, "format") == "flowed":
        return unflow(text, delsp=part_param(part, "delsp") == "yes")
    return text


def part_param(part: Message, name: str) -> str:
    """A Content-Type parameter, lower-cased, "" when absent or unreadable."""
    try:
        value = part.get_param(name, "")
    except Exception:  # noqa: BLE001
        return ""
    return (value[2] if isinstance(value, tuple) else str(value or "")).strip().lower()


def unflow(text: str, *, delsp: bool) -> str:
    """RFC 3676 format=flowed: a line ending in a space continues on the next one."""
    lines: list[str] = []
    carry = False
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]  # space-stuffing
        if carry and lines:
            lines[-1] += line
        else:
            lines.append(line)
        carry = line.endswith(" ") and line != "-- "
        if carry and delsp:
            lines[-1] = lines[-1][:-1]
    return "\n".join(lines)


def part_message(part: Message) -> Message | None:
    payload = part.get_payload()
    encoded = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        if encoded not in ("base64", "quoted-printable"):
            return payload[0]
        # Against RFC 2046 but seen: an encoded message/rfc822 the parser read as headerless.
        body = payload[0].get_payload()
        data = body.encode("ascii", "replace") if isinstance(body, str) else b""
        try:
            data = base64.b64decode(data) if encoded == "base64" else quopri.decodestring(data)
        except (binascii.Error, ValueError):
            return payload[0]
        return _parse_inner(data)
    return _parse_inner(part_bytes(part))


def _parse_inner(data: bytes) -> Message | None:
    if not data.strip():
        return None
    try:
        inner = BytesParser(policy=POLICY).parsebytes(data)
    except Exception:  # noqa: BLE001
        return None
    return inner if list(inner.keys()) else None


def message_bytes(message: Message) -> bytes:
    for pol in (policy.compat32, POLICY):
        try:
            return message.as_bytes(policy=pol)
        except Exception:  # noqa: BLE001, S112 - try the other generator, then plain text
            continue
    return str(message.get_payload()).encode("utf-8", "replace")
