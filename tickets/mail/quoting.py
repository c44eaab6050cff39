"""Fold quoted history and signatures away from the new text of a reply.

Our own rules rather than mail-parser-reply: that package strips every line's indentation and
treats any line starting "- word" or "Thanks," as the start of a signature, which eats lists and
the rest of short replies. The rules here cut at the first of:

- our marker line (``REPLY_MARKER``, quoted or not): everything from it down is history;
- an attribution line: Gmail/Apple/Thunderbird "On … wrote:" (also split over two lines),
  German "Am … schrieb …:", French "Le … a écrit :", Spanish "El … escribió:", Vietnamese
  "Vào … đã viết:", Chinese "… 写道:" (with a full-width colon too)
- Outlook's "-----Original Message-----" and its "From: / Sent: / To: / Subject:" header block
  (also German, French and Vietnamese labels, with the "____" rule above it);
- a block of ">"-quoted lines running to the end (quotes with answers between them are kept:
  that is someone answering inline);

and then drop a "-- " signature, "Sent from my iPhone"-style lines and inline PGP armor. If
nothing is left, the whole text is the new text: better too much than a blank reply.
"""

from __future__ import annotations

import re

REPLY_MARKER = "##- Please type your reply above this line -##"
# The marker in any language the mail went out in (tickets.mail.outgoing translates its text,
# keeping the "##- " and " -##" around it).
_ANY_MARKER = re.compile(r"##-\s.{1,200}?\s-##")

_ATTRIBUTION = re.compile(
    r"^(?:"
    r"On\b.{0,300}\bwrote\s?:"
    r"|Am\b.{0,300}\bschrieb\b.{0,300}:"
    r"|Le\b.{0,300}\ba écrit\s?:"
    r"|El\b.{0,300}\bescribió\s?:"
    r"|Op\b.{0,300}\bschreef\b.{0,300}:"
    r"|Vào\b.{0,300}\bđã viết\s?:"
    r"|.{0,300}写道\s?[:\uff1a]"
    r")\s*$",
    re.IGNORECASE,
)
_ORIGINAL = re.compile(
    r"^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Thư gốc)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_LABEL = re.compile(
    r"^\*?(From|Von|De|Từ|发件人|Sent|Gesendet|Envoyé|Đã gửi|Date|Datum|To|An|À|Đến|收件人|"
    r"Subject|Betreff|Objet|Chủ đề|主题|Cc)\s?\*?\s?[:\uff1a]",
    re.IGNORECASE,
)
_FROM_LABEL = re.compile(r"^\*?(From|Von|De|Từ|发件人)\s?\*?\s?[:\uff1a]", re.IGNORECASE)
_RULE = re.compile(r"^[_-]{10,}\s*$")
_SENT_FROM = re.compile(
    r"^(?:Sent from my \w[\w ]{0,40}|Sent from (?:Mail|Outlook) for \w+.*|Get Outlook for \w+.*"
    r"|Von meinem \w[\w ]{0,40} gesendet|Envoyé de mon \w[\w ]{0,40}"
    r"|Gửi từ \w[\w ]{0,40} của tôi|Sent from Yahoo Mail.*)\s*$",
    re.IGNORECASE,
)


def _is_marker(line: str) -> bool:
    return REPLY_MARKER in line or _ANY_MARKER.search(line) is not None


def _unquote(line: str) -> str:
    return re.sub(r"^(?:\s?>)+\s?", "", line).strip()


def _history_start(lines: list[str]) -> int | None:
    """The index of the first line of quoted history, None when there is none."""
    for index, line in enumerate(lines):
        plain = _unquote(line)
        if _is_marker(plain):
            return _block_start(lines, index)
        if line.startswith(">"):
            continue  # a quoted attribution line belongs to older history
        if _ATTRIBUTION.match(plain):
            return index
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if plain and following and _ATTRIBUTION.match(f"{plain} {following}"):
            return index  # Gmail wraps a long "On … wrote:" over two lines
        if _ORIGINAL.match(plain):
            return index
        if _FROM_LABEL.match(plain) and _header_block(lines, index):
            if index and _RULE.match(lines[index - 1].strip()):
                return index - 1
            return index
    return _trailing_quote(lines)


def _block_start(lines: list[str], index: int) -> int:
    """Where the quoted block holding line ``index`` starts, with its attribution line."""
    if not lines[index].lstrip().startswith(">"):
        return index
    while index > 0 and (lines[index - 1].lstrip().startswith(">") or not lines[index - 1].strip()):
        index -= 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    above = index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    if above >= 0 and _ATTRIBUTION.match(lines[above].strip()):
        return above
    if above > 0 and _ATTRIBUTION.match(f"{lines[above - 1].strip()} {lines[above].strip()}"):
        return above - 1
    return index


def _header_block(lines: list[str], start: int) -> bool:
    """Two or more mail-header labels within the next few lines: an Outlook history block."""
    labels = {
        match.group(1).lower()
        for line in lines[start : start + 6]
        if (match := _HEADER_LABEL.match(line.strip()))
    }
    return len(labels) >= 3 or (len(labels) == 2 and start > 0)


def _trailing_quote(lines: list[str]) -> int | None:
    start = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(">"):
            if start is None:
                start = index
        elif stripped and not _is_signature_line(stripped):
            start = None
    return start


def _is_signature_line(line: str) -> bool:
    return bool(_SENT_FROM.match(line))


def _drop_signature(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if line.rstrip() == "--" or line == "-- ":
            return lines[:index]
        if _SENT_FROM.match(line.strip()) and not any(rest.strip() for rest in lines[index + 1 :]):
            return lines[:index]
    return lines


_PGP_HEAD = re.compile(r"^-----BEGIN PGP SIGNED MESSAGE-----\n(?:[\w-]+: .*\n)*\n?", re.MULTILINE)
_PGP_SIGNATURE = re.compile(
    r"^-----BEGIN PGP SIGNATURE-----\n.*?^-----END PGP SIGNATURE-----\n?", re.MULTILINE | re.DOTALL
)


def _strip_pgp_armor(text: str) -> str:
    """Inline-signed PGP text: drop the armor lines and undo dash-escaping (RFC 4880 7.1)."""
    if "-----BEGIN PGP SIGNED MESSAGE-----" not in text:
        return text
    text = _PGP_SIGNATURE.sub("", _PGP_HEAD.sub("", text))
    return re.sub(r"^- (?=-)", "", text, flags=re.MULTILINE)


def new_text(text: str, *, keep_history: bool = False) -> str:
    """The part of a message body its sender wrote now.

    ``keep_history`` (forwarded mail) keeps quoted blocks: there they are the point. Our marker
    still cuts, since below it is always our own mail.
    """
    text = _strip_pgp_armor(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    if keep_history:
        cut = next((i for i, line in enumerate(lines) if _is_marker(_unquote(line))), None)
    else:
        cut = _history_start(lines)
    if cut is not None:
        lines = lines[:cut]
    lines = _drop_signature(lines)
    result = "\n".join(lines).strip()
    return result or text.strip()
