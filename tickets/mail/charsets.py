"""Bytes → text for mail, which declares its charset wrongly often enough to plan for it.

Order: UTF-8 when the declared charset is ASCII, unknown or a single-byte one and the bytes are
valid UTF-8 (valid UTF-8 with non-ASCII bytes is almost never an accident); then the declared
charset (through the aliases mail clients get wrong); then UTF-8; then cp1252, then latin-1,
which cannot fail. A wrong guess costs a few odd characters, never the message.
"""

from __future__ import annotations

import codecs
import re
from email.header import decode_header

# Names clients write that Python spells differently, or a superset we should read with
# (gb2312 mail routinely holds GBK characters; "iso-8859-1" mail holds cp1252 quotes).
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-8-i": "iso-8859-8",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "windows-874": "cp874",
    "utf8": "utf-8",
    "x-unknown": "",
    "unknown-8bit": "",
    "unknown": "",
    "x-user-defined": "",
    "us-ascii": "",
    "ascii": "",
    "ansi_x3.4-1968": "",
    "default": "",
}
_MULTIBYTE = ("gb18030", "big5hkscs", "cp949", "cp932", "euc_jp", "iso2022", "utf_16", "utf_32")


def codec_for(charset: str | None) -> str:
    """The Python codec name for a declared charset, "" when unknown or unusable."""
    name = (charset or "").strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    if not name:
        return ""
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return ""


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode mail bytes: never raises, prefers the truth over the declaration."""
    if not data:
        return ""
    codec = codec_for(charset)
    if data.isascii():
        return data.decode("ascii")
    multibyte = codec.startswith(_MULTIBYTE)
    if not multibyte and codec not in ("utf_8", "utf_7"):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    # A multi-byte charset read as cp1252 is all garbage; its own replacement characters are not.
    fallbacks = (codec, "utf-8") if multibyte else (codec, "utf-8", "cp1252")
    for name in fallbacks:
        if not name:
            continue
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    if codec:
        return data.decode(codec, errors="replace")
    return data.decode("latin-1")


def unescape_surrogates(value: str) -> str:
    """The email package keeps 8-bit header bytes as surrogates; read them as text."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    return decode_bytes(value.encode("utf-8", "surrogateescape"))


_FOLD = re.compile(r"\r?\n[ \t]*")


def decode_header_value(value: object) -> str:
    """A header as a person reads it: encoded-words decoded, unfolded, never raises."""
    text = unescape_surrogates(str(value or ""))
    text = _FOLD.sub(" ", text)
    if "=?" not in text:
        return text
    try:
        chunks = decode_header(text)
    except Exception:  # noqa: BLE001 - a broken encoded-word leaves the header as written
        return text
    return "".join(
        chunk if isinstance(chunk, str) else decode_bytes(chunk, charset)
        for chunk, charset in chunks
    )
