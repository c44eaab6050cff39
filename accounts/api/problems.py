"""RFC 9457 problem details: every error of the API answers ``application/problem+json``
with type, title, status, detail and instance, and field errors as
``errors: [{"field": ..., "message": ...}]``.

Raise ``ApiProblem`` anywhere under an API call (or let the handlers in ``accounts.api.app``
turn Django's and ninja's exceptions into problems).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

CONTENT_TYPE = "application/problem+json"
# A problem type is a URI; ours are URNs (they need not resolve): urn:servicedesk:problem:<slug>.
TYPE_PREFIX = "urn:servicedesk:problem:"
# Errors on the request as a whole (not one field) are listed under this "field".
NON_FIELD = "__all__"


class ApiProblem(Exception):
    def __init__(
        self,
        status: int,
        slug: str = "",
        *,
        title: str = "",
        detail: str = "",
        errors: list[dict[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title or slug)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.headers = dict(headers or {})


def problem_type(slug: str) -> str:
    return f"{TYPE_PREFIX}{slug}" if slug else "about:blank"


def problem_response(
    request: HttpRequest,
    status: int,
    slug: str = "",
    *,
    title: str = "",
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, object] = {
        "type": problem_type(slug),
        # "about:blank" problems are titled by their status's phrase (RFC 9457, 4.2.1).
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_exception(request: HttpRequest, problem: ApiProblem) -> HttpResponse:
    return problem_response(
        request,
        problem.status,
        problem.slug,
        title=problem.title,
        detail=problem.detail,
        errors=problem.errors,
        headers=problem.headers,
    )


def field_errors(error: ValidationError) -> list[dict[str, str]]:
    """A service's ValidationError as the problem's field errors."""
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "message": str(message)}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": NON_FIELD, "message": str(message)} for message in error.messages]


def validation_problem(errors: Iterable[dict[str, str]]) -> ApiProblem:
    errors = list(errors)
    return ApiProblem(
        422,
        "invalid-request",
        title=_("The request is not valid."),
        detail=errors[0]["message"] if len(errors) == 1 else _("See the errors of each field."),
        errors=errors,
    )


def pydantic_errors(errors: Iterable[Mapping[str, object]]) -> list[dict[str, str]]:
    """ninja's validation errors (pydantic's, with "loc": ["body", "payload", "subject"])
    as field errors: the field's dotted path without where it came from."""
    found = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) or ()]  # type: ignore[attr-defined]
        if location and location[0] in {"body", "query", "path", "header", "form", "cookie"}:
            location = location[1:]
        if location and location[0] == "payload":  # the operation's argument, not a field
            location = location[1:]
        found.append(
            {"field": ".".join(location) or NON_FIELD, "message": str(error.get("msg", ""))}
        )
    return found
