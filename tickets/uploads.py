"""Attachments refused before Django spools them.

Django reads a multipart body into memory or temporary files before a view sees it; the
service's checks (the System's per-file limit, its storage quota) would only come after a
body of gigabytes had been written to the temporary directory. This handler runs first
(``FILE_UPLOAD_HANDLERS``), for views marked ``@stores_uploads`` on a System's host:

- a request whose Content-Length is more than it could accept (the per-file limit times
  the most files a message takes, or the room left in the quota, plus room for the text
  fields) stops at its first file, before a byte of it is read;
- while a body streams in, a file past the per-file limit, or the files together past the
  room left, stop the upload at once.

A form sends its text fields before its files, so what was typed is kept; the view shows
the reason on the form (``refusal``). The service checks again under the System's row lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tenants import storage
from tickets.services.attachments import MAX_FILES_PER_MESSAGE, too_large_message

MB = 1024 * 1024
# Multipart boundaries and part headers, besides the text fields themselves.
FRAMING_BYTES = MB


def stores_uploads(view: Callable) -> Callable:
    """Mark a view whose files count towards the System's storage (outermost decorator)."""
    view.stores_uploads = True  # type: ignore[attr-defined]
    return view


def refusal(request: HttpRequest) -> str | None:
    """Why the handler stopped this request's files, if it did."""
    return getattr(request, "upload_refused", None)


@dataclass(frozen=True)
class Limits:
    per_file: int
    per_file_mb: int
    usage: storage.Usage

    @property
    def most_accepted(self) -> int:
        files = min(self.per_file * MAX_FILES_PER_MESSAGE, self.usage.free)
        return files + settings.DATA_UPLOAD_MAX_MEMORY_SIZE + FRAMING_BYTES


def _limits_for(request: HttpRequest | None) -> Limits | None:
    match = getattr(request, "resolver_match", None)
    system = getattr(request, "system", None)
    if match is None or system is None or not getattr(match.func, "stores_uploads", False):
        return None
    return Limits(
        per_file=system.attachment_max_mb * MB,
        per_file_mb=system.attachment_max_mb,
        usage=storage.usage_of(system),
    )


class StorageUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limits: Limits | None = None
        self.refused: str | None = None
        self.body_length = 0
        self.received = 0
        self.received_of_file = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        self.limits = _limits_for(self.request)
        self.body_length = content_length
        if self.limits is None or content_length <= self.limits.most_accepted:
            return
        usage = self.limits.usage
        if content_length > usage.free:
            self.refused = storage.no_room_message(need=content_length, usage=usage)
        else:
            self.refused = _(
                "These files are larger than this help desk accepts: at most "
                "%(size)d MB each, %(count)d at once."
            ) % {"size": self.limits.per_file_mb, "count": MAX_FILES_PER_MESSAGE}

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.limits is None:
            return
        if self.refused:
            self._stop(self.refused)
        self.received_of_file = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.limits is not None:
            self.received_of_file += len(raw_data)
            self.received += len(raw_data)
            if self.received_of_file > self.limits.per_file:
                name = self.file_name or "file"
                self._stop(too_large_message(name=name, limit_mb=self.limits.per_file_mb))
            if self.received > self.limits.usage.free:
                usage = self.limits.usage
                need = max(self.body_length, self.received)
                self._stop(storage.no_room_message(need=need, usage=usage))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the handlers after this one keep the file

    def _stop(self, message: str) -> None:
        self.refused = message
        if self.request is not None:
            self.request.upload_refused = message  # type: ignore[attr-defined]
        # Don't read the rest: the text fields came first and are parsed already.
        raise StopUpload(connection_reset=True)
