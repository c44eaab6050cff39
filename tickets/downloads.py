"""A ticket's file as an HTTP answer, the same for the page's download link and the API:
inline only for images and videos, a download for anything else; never sniffed, never
scripted (a sandboxed document even if a browser rendered it)."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from servicedesk.schema import current_schema
from tickets.models import Attachment

INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"} | {
    "video/mp4",
    "video/webm",
    "video/ogg",
    "video/quicktime",
}


def attachment_response(attachment: Attachment, *, thumbnail: bool = False) -> HttpResponseBase:
    """The file's bytes (or its thumbnail's, when it has one and ``thumbnail``)."""
    thumbnail = thumbnail and bool(attachment.thumbnail)
    stored = attachment.thumbnail if thumbnail else attachment.file
    content_type = "image/webp" if thumbnail else attachment.content_type
    inline = content_type in INLINE_TYPES
    response = _file_response(stored, content_type, attachment, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were to render it, a file is a sandboxed document with no script.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _file_response(
    stored, content_type: str, attachment: Attachment, *, inline: bool
) -> HttpResponseBase:
    mode = settings.FILE_SERVING
    name = attachment.original_name
    if mode == "django":
        return FileResponse(
            stored.open("rb"), content_type=content_type, as_attachment=not inline, filename=name
        )
    response = HttpResponse(content_type=content_type)
    disposition = "inline" if inline else "attachment"

    response["Content-Disposition"] = content_disposition_header(not inline, name) or disposition
    if mode == "x-accel":
        # nginx: `location /protected-files/ { internal; alias <MEDIA_ROOT>/systems/; }`
        response["X-Accel-Redirect"] = f"{settings.X_ACCEL_PREFIX}{current_schema()}/{stored.name}"
    else:  # x-sendfile (Apache mod_xsendfile, lighttpd)
        response["X-Sendfile"] = stored.path
    return response
