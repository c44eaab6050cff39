"""Account rules that apply on every request inside a System."""

from __future__ import annotations

import time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation.trans_real import parse_accept_lang_header

from accounts.selectors import has_second_factor
from servicedesk.http import local_path
from servicedesk.locales import DEFAULT_TIME_ZONE, is_time_zone, supported_language

# Write the activity stamp at most this often, not on every request.
ACTIVITY_RESOLUTION_SECONDS = 60
# Sent by scripts that poll on a person's behalf (static/js/presence.js).
BACKGROUND_HEADER = "X-Background"


class AccountGuardMiddleware:
    """Signs out suspended accounts (showing why) and sessions idle past the System's
    idle timeout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        system = getattr(request, "system", None)
        if system is None or not request.user.is_authenticated:
            return self.get_response(request)
        user = request.user
        if user.is_suspended:
            logout(request)
            return render(request, "accounts/suspended.html", {"person": user}, status=403)
        now = int(time.time())
        timeout = system.idle_timeout_minutes * 60
        last_seen = request.session.get("last_seen")
        if last_seen is not None and now - last_seen > timeout:
            logout(request)
            messages.info(
                request,
                _(
                    "You were signed out after %(duration)s without activity. Sign in again to "
                    "continue."
                )
                % {"duration": _duration(system.idle_timeout_minutes)},
            )
            query = urlencode({"next": local_path(request.get_full_path()) or "/"}, safe="/")
            return redirect(f"{reverse('account_login')}?{query}")
        # A page polling in the background (who else is on a ticket) is not activity: a tab
        # left open must not keep a session alive past the idle timeout.
        background = request.headers.get(BACKGROUND_HEADER) == "1"
        stale = last_seen is None or now - last_seen >= ACTIVITY_RESOLUTION_SECONDS
        if stale and not background:
            request.session["last_seen"] = now
            if not request.session.get_expire_at_browser_close():
                request.session.set_expiry(timeout)  # "remember me" lasts while in use
        return self.get_response(request)


# What a person without a second factor may still reach while one is required: setting it
# up (allauth asks for the password again first, and a verified address), leaving, the texts.
SECOND_FACTOR_SETUP_PATHS = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/accounts/email/",
    "/accounts/confirm-email/",
    "/terms/",
    "/privacy/",
    "/static/",
    "/healthz",
    "/language/",  # the footer's switcher, and the strings of scripts, in every state
    "/jsi18n/",
    "/api/",  # tokens, not sessions: accounts.api.gates checks the same rule for a token
)


class SecondFactorRequiredMiddleware:
    """Where the owner requires a second factor, a person without one can do nothing but set
    it up (or sign out). Costs one query per request, only in such a System."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        system = getattr(request, "system", None)
        if (
            system is None
            or not system.require_second_factor
            or not request.user.is_authenticated
            or request.path.startswith(SECOND_FACTOR_SETUP_PATHS)
            or has_second_factor(user=request.user)
        ):
            return self.get_response(request)
        messages.warning(
            request,
            _(
                "%(system)s requires two-factor authentication of everyone. Set up an "
                "authenticator app to continue."
            )
            % {"system": system.name},
        )
        return redirect("mfa_activate_totp")


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


class LocaleMiddleware:
    """Pages in the reader's language, times in the reader's zone.

    Language: the person's choice, else the footer switcher's cookie, the browser's
    Accept-Language, the System's default. Zone: the person's, else the System's, else UTC.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        system = getattr(request, "system", None)
        person = request.user if request.user.is_authenticated else None
        language = reader_language(request, person=person, system=system)
        zone = next(
            (
                name
                for name in (getattr(person, "time_zone", ""), getattr(system, "time_zone", ""))
                if is_time_zone(name)
            ),
            DEFAULT_TIME_ZONE,
        )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        timezone.activate(ZoneInfo(zone))
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


def reader_language(request: HttpRequest, *, person, system) -> str:
    chosen = supported_language(getattr(person, "language", ""))
    if chosen:
        return chosen
    from_cookie = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if from_cookie:
        return from_cookie
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code != "*" and (browser := supported_language(code)):
            return browser
    return supported_language(getattr(system, "language", "")) or settings.LANGUAGE_CODE
