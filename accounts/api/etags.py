"""ETags on reads (``If-None-Match`` → 304) and on updates (``If-Match`` required: missing
→ 428, stale → 412).

An ETag names one version of a resource as its reader gets it. ``etag_for`` hashes the
parts that say so (for a ticket: its id and ``updated_at``, which every change moves).
Compare the ``If-Match`` of an update *after* locking the row (``if_match_check`` inside
the service's transaction), so two clients holding the same version can't both write.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.api.problems import ApiProblem


def etag_for(*parts: object) -> str:
    """A strong ETag (quoted) from the parts that identify a version."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f'"{digest[:32]}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/")


def none_match(request: HttpRequest, etag: str) -> bool:
    """True when the client's If-None-Match names ``etag`` (weak comparison, RFC 9110)."""
    header = request.headers.get("If-None-Match", "")
    tags = _tags(header)
    return "*" in tags or _opaque(etag) in {_opaque(tag) for tag in tags}


def not_modified(etag: str) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    return response


def if_match_header(request: HttpRequest) -> str:
    """The If-Match header, or a 428 problem when the client sent none."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise ApiProblem(
            428,
            "if-match-required",
            title=_("This change needs an If-Match header."),
            detail=_("Send the ETag of the version you read, so nobody's change is lost."),
        )
    return header


def if_match_check(header: str, etag: str) -> None:
    """A 412 problem unless ``header`` names the current ``etag`` (strong comparison)."""
    tags = _tags(header)
    if "*" in tags or etag in tags:
        return
    raise ApiProblem(
        412,
        "stale-version",
        title=_("Someone changed this since you read it."),
        detail=_("Nothing was changed. Read it again, then send your change with the new ETag."),
        headers={"ETag": etag},
    )
