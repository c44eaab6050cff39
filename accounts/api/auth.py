"""Bearer tokens: ``Authorization: Bearer <token>``. Session cookies are never read here,
so an API call needs no CSRF token and a signed-in browser gets 401 without a token.

A call acts as the token's person: ``request.user`` becomes him, and endpoints call the
same permission module, selectors and services as the pages. The token's scope bounds what
he may do through it: GET and HEAD need "read", any other method "write"; operations
declared with ``TokenAuth(scope="admin")`` (admin-only actions) need "admin", and each such
call is written to the audit log.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from accounts.api import ratelimits
from accounts.api.gates import gates_check
from accounts.api.problems import ApiProblem
from accounts.apitokens.models import ApiToken, Scope
from accounts.apitokens.selectors import api_token_for_secret
from accounts.apitokens.services import api_token_touch
from accounts.middleware import reader_language
from accounts.models import AuditEvent
from accounts.permissions import Perm, can
from accounts.services.audit import audit_record
from servicedesk.http import client_ip

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def scope_needed(request: HttpRequest, declared: str | None) -> str:
    if declared is not None:
        return declared
    return Scope.READ if request.method in SAFE_METHODS else Scope.WRITE


class TokenAuth(HttpBearer):
    """ninja's bearer scheme (the OpenAPI schema documents it) over our tokens."""

    def __init__(self, scope: str | None = None) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        header = request.headers.get(self.header, "")
        kind, _space, secret = header.partition(" ")
        if kind.lower() != self.openapi_scheme or not secret.strip():
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_for_secret(token)
        if found is None:
            return None
        person = found.user
        if not person.is_active:
            return None  # a deactivated person's tokens are dead
        if found.kind == ApiToken.Kind.SYSTEM and not can(person, Perm.MANAGE_API_TOKENS):
            return None  # a System token dies with its maker's admin role
        ratelimits.token_count(request, token_id=found.pk)
        # Answers in the person's language, as his pages are (the locale middleware, which
        # ran before anyone was known, chose from the request alone).
        language = reader_language(request, person=person, system=getattr(request, "system", None))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        gates_check(request, person)
        needed = scope_needed(request, self.scope)
        _scope_check(found, needed)
        api_token_touch(token=found, now=timezone.now())
        if needed == Scope.ADMIN:
            _admin_call_record(request, found)
        request.user = person
        request.api_token = found  # type: ignore[attr-defined]
        return found


def _scope_check(token: ApiToken, needed: str) -> None:
    """The insufficient-scope problem unless ``token`` allows ``needed``."""
    if not token.allows(needed):
        raise ApiProblem(
            403,
            "insufficient-scope",
            title=_("This token's scope does not allow this call."),
            detail=_("The call needs a token with the “%(scope)s” scope.") % {"scope": needed},
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{needed}"'},
        )


def _admin_call_record(request: HttpRequest, token: ApiToken) -> None:
    audit_record(
        action=AuditEvent.Action.API_ADMIN_CALL,
        actor=token.user,
        target=f"{request.method} {request.path}"[:200],
        ip=client_ip(request),
        detail={"token": token.pk, "token_prefix": token.prefix},
    )


def scope_require(request: HttpRequest, needed: str) -> None:
    """For an operation that needs a higher scope only for some inputs (a shared saved
    view, say): the same problem and audit row as a scope declared on the operation."""
    token = api_token_of(request)
    _scope_check(token, needed)
    if needed == Scope.ADMIN:
        _admin_call_record(request, token)


def api_token_of(request: HttpRequest) -> ApiToken:
    """The token of an authenticated call (for endpoints that need it: idempotency)."""
    return request.api_token  # type: ignore[attr-defined]
