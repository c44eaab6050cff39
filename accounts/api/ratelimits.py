"""Per-token rate limits (servicedesk.ratelimit, Redis; keys carry the schema), told on
every answer by ``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset``.
Calls without a valid token count against their client address, with a lower limit, so
guessing tokens is slow too."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.api.problems import ApiProblem
from servicedesk.http import client_ip
from servicedesk.ratelimit import Window, window_hit


def _count(request: HttpRequest, scope: str, key: str, limit: int) -> None:
    window = window_hit(scope, key, limit=limit, window=settings.API_RATE_WINDOW_SECONDS)
    request.api_rate = window  # type: ignore[attr-defined]
    if not window.allowed:
        raise ApiProblem(
            429,
            "rate-limited",
            title=_("Too many requests."),
            detail=_("Wait %(seconds)d seconds before the next call.") % {"seconds": window.reset},
            headers={"Retry-After": str(window.reset)},
        )


def token_count(request: HttpRequest, *, token_id: int) -> None:
    """Count a call of this token; ApiProblem 429 beyond the limit."""
    _count(request, "api", f"token:{token_id}", settings.API_RATE_LIMIT)


def anonymous_count(request: HttpRequest) -> None:
    """Count a call without a valid token against its address; ApiProblem 429 beyond."""
    if getattr(request, "api_rate", None) is not None:
        return  # already counted (a token that failed a later check)
    _count(
        request, "api-anonymous", client_ip(request) or "unknown", settings.API_ANONYMOUS_RATE_LIMIT
    )


def headers_set(request: HttpRequest, response: HttpResponse) -> None:
    window: Window | None = getattr(request, "api_rate", None)
    if window is None:
        return
    response["RateLimit-Limit"] = str(window.limit)
    response["RateLimit-Remaining"] = str(max(0, window.remaining))
    response["RateLimit-Reset"] = str(window.reset)
