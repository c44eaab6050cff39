"""Image bombs for tests, made here and small on disk.

A PNG is a header (IHDR: width, height, colour type) and zlib-compressed rows; rows of
zeros compress about a thousand to one, so 10,000 × 10,000 RGB pixels (300 MB) fit in
under 300 KB.
"""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.base import ContentFile
from PIL import Image

from tests.support.tenancy import in_schema
from tickets.models import Attachment

CHANNELS = {"L": (0, 1), "RGB": (2, 3), "RGBA": (6, 4)}


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(width: int, height: int, *, mode: str = "RGB", rows: int | None = None) -> bytes:
    """A valid PNG of ``width`` × ``height`` black pixels. ``rows`` writes only that many
    rows of data: the header still says the full size (enough for anything that checks
    the header and decodes nothing)."""
    color_type, channels = CHANNELS[mode]
    packer = zlib.compressobj(9)
    row = bytes(1 + channels * width)  # filter byte 0, then the pixels
    data = b"".join(packer.compress(row) for _ in range(height if rows is None else rows))
    data += packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def png_lying(width: int, height: int, *, inflated_mb: int) -> bytes:
    """A PNG whose header says ``width`` × ``height`` but whose data inflates to
    ``inflated_mb`` MB: far more than the header's pixels need."""
    packer = zlib.compressobj(9)
    block = bytes(1024 * 1024)
    data = b"".join(packer.compress(block) for _ in range(inflated_mb)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def animation(fmt: str, *, size: tuple[int, int], frames: int) -> bytes:
    """An animated GIF or WebP whose frames all differ (so none is merged away)."""
    images = [
        Image.new("RGB", size, (index * 7 % 256, index * 13 % 256, 90)) for index in range(frames)
    ]
    out = io.BytesIO()
    images[0].save(out, format=fmt, save_all=True, append_images=images[1:], duration=40)
    return out.getvalue()


def stored_image(system, ticket, name: str, content: bytes) -> Attachment:
    """An image on ``ticket`` as one stored before the upload check existed would be:
    straight to the storage and the table, past every check."""
    with in_schema(system):
        attachment = Attachment(
            ticket=ticket,
            original_name=name,
            content_type="image/png",
            kind=Attachment.Kind.IMAGE,
            size=len(content),
            sha256="0" * 64,
        )
        attachment.file.save(name, ContentFile(content), save=False)
        attachment.save()
    return attachment
