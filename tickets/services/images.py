"""Images: what their header says, and thumbnails within a memory budget.

A small file can hold a huge picture: a 292 KB PNG of 10,000 × 10,000 pixels decodes to
400 MB, and Pillow only warns from 89 megapixels and refuses from 179. So the dimensions
are read from the header alone (Pillow's ``open`` is lazy) and checked before a pixel is
decoded: an upload above ``IMAGE_MAX_PIXELS`` (or an animation above
``IMAGE_MAX_ANIMATION_PIXELS`` in all its frames) is refused, and a thumbnail is made only
when its decode, estimated from the header, fits ``THUMBNAIL_MAX_DECODE_MB``. Anything else
is shown as a file without a preview.

The header can't make Pillow allocate more than it says: decoders fill the image the
header sized and stop, however much compressed data follows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

# Pillow's own names for the types we preview; nothing else is opened as an image.
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
THUMBNAIL_SIZE = (480, 480)
# Shrink by whole factors first (JPEG: while decoding) down to twice the thumbnail, then
# resample: nearly as good as resampling the whole image, for a fraction of the memory.
REDUCING_GAP = 2.0

# Pillow's bomb guard, as an error (a warning becomes one under ``-W error``), and what a
# broken or truncated file raises while being read.
BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)
BROKEN = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


@dataclass(frozen=True)
class Header:
    width: int
    height: int
    frames: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


def header_of(image: ImageFile.ImageFile) -> Header:
    """Size and frame count, from what Pillow read when it opened the file (counting a
    GIF's frames walks its blocks without decoding them)."""
    frames = int(getattr(image, "n_frames", 1)) if getattr(image, "is_animated", False) else 1
    return Header(width=image.width, height=image.height, frames=max(frames, 1))


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:,.4g}"


def refusal(header: Header, *, name: str) -> str | None:
    """Why an image this size is refused (naming the file and its dimensions), or None."""
    limit = settings.IMAGE_MAX_PIXELS
    size = _("%(width)s × %(height)s pixels") % {
        "width": f"{header.width:,}",
        "height": f"{header.height:,}",
    }
    if header.pixels > limit:
        return _(
            "“%(name)s” is an image of %(size)s (%(megapixels)s megapixels); "
            "images may have at most %(limit)s megapixels."
        ) % {
            "name": name,
            "size": size,
            "megapixels": _megapixels(header.pixels),
            "limit": _megapixels(limit),
        }
    total = header.pixels * header.frames
    animation_limit = settings.IMAGE_MAX_ANIMATION_PIXELS
    if header.frames > 1 and total > animation_limit:
        return _(
            "“%(name)s” is an animation of %(frames)s frames of %(size)s "
            "(%(megapixels)s megapixels in all); animations may have at most "
            "%(limit)s megapixels in all."
        ) % {
            "name": name,
            "frames": f"{header.frames:,}",
            "size": size,
            "megapixels": _megapixels(total),
            "limit": _megapixels(animation_limit),
        }
    return None


def refusal_beyond_pillow(*, name: str) -> str:
    """For a header so large that Pillow refuses to open it at all."""
    return _(
        "“%(name)s” is an image too large to open; images may have at most %(limit)s megapixels."
    ) % {"name": name, "limit": _megapixels(settings.IMAGE_MAX_PIXELS)}


def image_check(source: IO[bytes], *, mime: str, name: str) -> bool:
    """Open ``source`` as the image type its bytes announce, without decoding it: True for
    an image that is whole, False for a file that only looks like one (kept as a plain
    file). An image too large to accept raises ValidationError naming it."""
    source.seek(0)
    try:
        with Image.open(source, formats=[PIL_FORMATS[mime]]) as image:
            problem = refusal(header_of(image), name=name)
            if problem is None:
                image.verify()  # walks the chunks and checksums; decodes nothing
    except BOMB:
        problem = refusal_beyond_pillow(name=name)
    except BROKEN:
        return False
    finally:
        source.seek(0)
    if problem:
        raise ValidationError({"files": problem})
    return True


def decode_bytes(image: ImageFile.ImageFile, *, full_size: tuple[int, int]) -> int:
    """Memory the decode and the first reduction take, estimated from the header (after a
    JPEG's draft). Measured on Pillow 13: a palette or grey image costs a byte a pixel,
    RGB four; alpha eight (resizing copies it premultiplied); WebP about sixteen (its
    decoder's canvas and previous frame besides Pillow's image)."""
    width, height = image.size
    if image.format == "WEBP":
        per_pixel = 16
    elif image.mode in ("1", "L", "P"):
        per_pixel = 1
    elif image.mode in ("RGB", "CMYK", "YCbCr", "LAB", "HSV"):
        per_pixel = 4
    else:
        per_pixel = 8
    cost = width * height * per_pixel
    if image.format == "JPEG" and image.info.get("progressive"):
        # A progressive JPEG holds every DCT coefficient of the full-size image (two bytes
        # per component and pixel) while it decodes, whatever the draft's scale.
        layers = int(getattr(image, "layers", 3) or 3)
        cost += full_size[0] * full_size[1] * layers * 2
    return cost


def thumbnail_webp(source: IO[bytes]) -> bytes | None:
    """A WebP thumbnail, or None when the image can't be previewed safely: too large, too
    costly to decode within THUMBNAIL_MAX_DECODE_MB, or broken."""
    budget = settings.THUMBNAIL_MAX_DECODE_MB * 1024 * 1024
    try:
        with Image.open(source, formats=list(PIL_FORMATS.values())) as image:
            if refusal(header_of(image), name="") is not None:
                return None
            full_size = image.size
            if image.format == "JPEG":
                want = (
                    int(THUMBNAIL_SIZE[0] * REDUCING_GAP),
                    int(THUMBNAIL_SIZE[1] * REDUCING_GAP),
                )
                image.draft(None, want)  # libjpeg decodes at 1/2, 1/4 or 1/8 directly
            if decode_bytes(image, full_size=full_size) > budget:
                return None
            image.thumbnail(THUMBNAIL_SIZE, reducing_gap=REDUCING_GAP)
            # Turned after shrinking: the same picture, without a full-size copy.
            small = ImageOps.exif_transpose(image)
            if small.mode not in ("RGB", "RGBA"):
                small = small.convert("RGBA")
            out = io.BytesIO()
            small.save(out, format="WEBP", quality=80)
    except (*BOMB, *BROKEN):
        return None
    return out.getvalue()
