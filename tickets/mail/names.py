"""Attachment file names: no path parts, no control characters, never empty."""

from __future__ import annotations

import mimetypes
import re
import unicodedata

_MAX_LENGTH = 200
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_FALLBACK_EXTENSIONS = {
    "message/rfc822": ".eml",
    "text/calendar": ".ics",
    "application/ms-tnef": ".dat",
    "text/plain": ".txt",
    "image/jpeg": ".jpg",
}


def clean_filename(name: str, content_type: str = "application/octet-stream") -> str:
    """A safe display and storage name for an attachment called ``name``."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Control and format characters include the right-to-left override ("gpj.exe").
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE)
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip(" .")
    if not name:
        extension = _FALLBACK_EXTENSIONS.get(content_type) or (
            mimetypes.guess_extension(content_type, strict=False) or ".bin"
        )
        stem = "winmail" if content_type == "application/ms-tnef" else "attachment"
        return stem + extension
    if len(name) > _MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: _MAX_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:_MAX_LENGTH]
    return name
