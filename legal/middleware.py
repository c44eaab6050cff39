"""The terms gate: inside a System, nobody works on until they accept the terms in effect."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.api.problems import ApiProblem
from legal import selectors
from legal.analytics import carries_token, csp_with

TERMS_CACHE_SECONDS = 300

# Always reachable: leaving, reading the texts, securing one's account, files and health.
OPEN_PATHS = (
    "/terms/",
    "/privacy/",
    "/accounts/logout/",
    "/account/security/",
    "/accounts/password/",
    "/accounts/2fa/",
    "/accounts/sessions/",
    "/accounts/email/",
    "/accounts/reauthenticate/",
    "/accounts/confirm-email/",
    "/announcements/unsubscribe/",
    "/static/",
    "/healthz",
    "/language/",  # the footer's switcher, and the strings of scripts, in every state
    "/jsi18n/",
    "/api/",  # tokens, not sessions: api_terms_gate answers there
)


class TermsGateMiddleware:
    """Pages only: API calls carry no session, and the API checks the same rule for the
    token's person (``api_terms_gate``, registered with accounts.api.gates)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "system", None) is None or request.path.startswith(OPEN_PATHS):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        current = selectors.terms_current()
        if current is None or request.session.get("terms_ok") == current.pk:
            return self.get_response(request)
        if selectors.has_accepted(user=user, version=current):
            request.session["terms_ok"] = current.pk
            return self.get_response(request)
        return redirect(f"/terms/accept/?next={quote(request.get_full_path())}")


def api_terms_gate(request: HttpRequest, user) -> ApiProblem | None:
    """An API call's person must have accepted the terms in effect, like a page's; he
    accepts them by signing in to the help desk once (the call then goes through). The
    answer is cached for a few minutes (keys carry the schema)."""
    current = selectors.terms_current()
    if current is None:
        return None
    key = f"api-terms:{user.pk}:{current.pk}"
    if cache.get(key):
        return None
    if selectors.has_accepted(user=user, version=current):
        cache.set(key, True, timeout=TERMS_CACHE_SECONDS)
        return None
    return ApiProblem(
        403,
        "terms-not-accepted",
        title=_("New terms need your acceptance."),
        detail=_("Sign in to the help desk and accept the terms in effect, then call again."),
    )


class AnalyticsCSPMiddleware:
    """Widen this response's CSP by the hosts of the analytics it actually loaded.

    Placed inside Django's CSP middleware, which reads ``response._csp_config``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        providers = getattr(request, "analytics_providers", None)
        if providers:
            response._csp_config = csp_with(settings.SECURE_CSP, providers)
        if "Referrer-Policy" in response:  # the view chose
            return response
        in_system = getattr(request, "system", None) is not None
        if carries_token(request) or selectors.analytics_for_page(in_system=in_system):
            # A link's secret must not travel on in the Referer of whatever comes next, and
            # with analytics about the next page's document.referrer is at most our origin.
            # ("no-referrer" would also blank the Origin of the page's own forms, which
            # Django's CSRF check then refuses.)
            response["Referrer-Policy"] = "origin"
        return response
