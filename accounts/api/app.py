"""The API object (/api/v1/ on a System's host), the registry apps add their routers to,
and its URL patterns.

Apps above accounts add routers in their AppConfig.ready() with ``api_router_add``
(accounts never imports them); servicedesk/urls_tenant.py includes ``api_urls()``. The
public host has no API.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, re_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger

from accounts.api import ratelimits
from accounts.api.auth import TokenAuth
from accounts.api.problems import (
    CONTENT_TYPE,
    ApiProblem,
    field_errors,
    from_exception,
    problem_response,
    pydantic_errors,
    validation_problem,
)

logger = logging.getLogger(__name__)

DESCRIPTION = """The help desk's REST API. Every call acts as the person who owns the token
(`Authorization: Bearer <token>`; tokens are made on your account page, or by admins on the
System's API tokens page), through the same permissions as the pages. Errors are RFC 9457
problems (`application/problem+json`); lists page with an opaque `cursor` (follow `next`);
reads carry an `ETag` (send `If-None-Match`), updates need `If-Match`; creates accept an
`Idempotency-Key`; every answer tells the token's rate limit in `RateLimit-*` headers."""

api = NinjaAPI(
    title="Service Desk API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    # ninja's Swagger page loads swagger-ui from its own static files (no CDN) and has no
    # inline script (its settings are a JSON block read by swagger-ui-init.js).
    docs=Swagger(settings={"persistAuthorization": False}),
    # The docs and the schema are for the people of the System: signed-in pages.
    docs_decorator=login_required,
)


def api_router_add(prefix: str, router: Router) -> None:
    """Mount ``router`` at /api/v1/<prefix>/ (call from AppConfig.ready())."""
    api.add_router(prefix, router)


_marks: dict[str, dict[str, object]] = {}


def api_view_mark(url_name: str, **attributes: object) -> None:
    """Set ``attributes`` on the URL view of the operations named ``url_name``, for code
    that reads them on ``request.resolver_match.func`` before the view runs (tickets'
    upload handler looks for ``stores_uploads``). Call from AppConfig.ready()."""
    _marks.setdefault(url_name, {}).update(attributes)


# --- every error is a problem -----------------------------------------------------------------


def _problem(request: HttpRequest, error: ApiProblem) -> HttpResponse:
    return from_exception(request, error)


def _unauthenticated(request: HttpRequest, error: Exception) -> HttpResponse:
    try:
        ratelimits.anonymous_count(request)
    except ApiProblem as limited:
        return from_exception(request, limited)
    sent = bool(request.headers.get("Authorization"))
    challenge = 'Bearer realm="api"' + (', error="invalid_token"' if sent else "")
    return problem_response(
        request,
        401,
        "unauthenticated",
        title=_("A valid API token is needed."),
        detail=_("Send “Authorization: Bearer <token>” with a live token of this help desk.")
        if not sent
        else _("This token is unknown here, expired or revoked."),
        headers={"WWW-Authenticate": challenge},
    )


def _invalid(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    return from_exception(request, validation_problem(pydantic_errors(error.errors)))


def _service_invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return from_exception(request, validation_problem(field_errors(error)))


def _denied(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem_response(
        request,
        403,
        "forbidden",
        title=_("You may not do this."),
        detail=_("Your role doesn't allow it."),
    )


def _not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem_response(request, 404, "not-found", title=_("Not found."))


def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem_response(request, error.status_code, detail=str(error))


def _crashed(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("API call failed: %s %s", request.method, request.path)
    return problem_response(request, 500, title=_("Something went wrong on our side."))


_HANDLERS: tuple[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]], ...] = (
    (ApiProblem, _problem),
    (AuthenticationError, _unauthenticated),
    (NinjaValidationError, _invalid),
    (ValidationError, _service_invalid),
    (PermissionDenied, _denied),
    (Http404, _not_found),
    (HttpError, _http_error),
    (Exception, _crashed),
)
for _exception, _handler in _HANDLERS:
    api.add_exception_handler(_exception, _handler)


# --- URL patterns --------------------------------------------------------------------------


def _answered(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Around every API view: errors that never reached ninja's handlers (405, a 404 of an
    unknown path, the docs' own) as problems; rate-limit headers; caches told that the
    answer depends on the token."""

    @wraps(view)
    def answered(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except ApiProblem as error:
            response = from_exception(request, error)
        except Http404:
            response = _not_found(request, Http404())
        except PermissionDenied:
            response = _denied(request, PermissionDenied())
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            CONTENT_TYPE
        ):
            allowed = response.get("Allow")
            response = problem_response(
                request,
                response.status_code,
                headers={"Allow": allowed} if allowed else None,
            )
        if getattr(request, "api_rate", None) is None:
            _count(request)
        ratelimits.headers_set(request, response)
        patch_vary_headers(response, ("Authorization",))
        response["Content-Language"] = translation.get_language()
        response.headers.setdefault("Cache-Control", "private, no-cache")
        return response

    answered.csrf_exempt = True  # type: ignore[attr-defined] # tokens, never cookies
    return answered


def _count(request: HttpRequest) -> None:
    """Count a call that ninja's authentication never saw (an unknown path, a wrong method)
    against its token, or its address: every answer carries the RateLimit headers."""
    try:
        if TokenAuth()(request) is None:
            ratelimits.anonymous_count(request)
    except ApiProblem:
        pass  # over the limit, or a gate: the answer is already this call's error


def _unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    raise Http404


def api_urls() -> tuple[list[URLPattern | URLResolver], str | None, str | None]:
    """``path("api/v1/", api_urls())`` in the System's URLconf."""
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            callback = _answered(pattern.callback)
            for attribute, value in _marks.get(pattern.name or "", {}).items():
                setattr(callback, attribute, value)
            pattern = URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name)
        wrapped.append(pattern)
    wrapped.append(re_path(r"^(?P<rest>.*)$", _answered(_unknown), name="api_unknown"))
    return include((wrapped, app_name), namespace=namespace)  # type: ignore[return-value]
