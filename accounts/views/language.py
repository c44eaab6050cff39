"""The footer's language switcher: works signed in (saved to the person) or not (a cookie)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services.people import language_preference_set
from servicedesk.http import local_path
from servicedesk.locales import supported_language


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    response = redirect(local_path(request.POST.get("next")) or "/")
    asked = request.POST.get("language", "")
    language = supported_language(asked) if asked else ""
    if language is None or (language and language != asked):
        messages.error(request, _("That language is not offered here."))
        return response
    if request.user.is_authenticated and getattr(request, "system", None) is not None:
        language_preference_set(user=request.user, language=language)
    language_cookie_set(response, language)
    if language:
        translation.activate(language)
    return response


def language_cookie_set(response: HttpResponse, language: str) -> None:
    """Remember ``language`` in the browser ("" forgets it: the browser's own, then the
    System's)."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
