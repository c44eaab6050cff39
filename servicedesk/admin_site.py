"""The operator's admin on the public host: every System's data is behind it.

Django's own admin login has no throttle and no second factor, so it is not used: signing in
goes through allauth on the public host (throttled like every login), and a staff account
enters admin only in a session where a second factor was used. Someone without one is sent
to set it up; someone who has one but signed in without it is asked for a code.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db.models.base import ModelBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.http import local_path


def second_factor_used(request: HttpRequest) -> bool:
    """Whether this session used a second factor: a code at sign-in (allauth records it), or
    an authenticator app set up during the session (which also takes a code from it)."""
    user = request.user
    if not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    started = min((record.get("at", 0) for record in records), default=None)
    if started is None:
        return False
    return Authenticator.objects.filter(
        user_id=user.pk,
        type=Authenticator.Type.TOTP,
        created_at__gte=datetime.fromtimestamp(started, tz=UTC),
    ).exists()


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: target}, safe='/')}"


# Apps whose tables live only in Systems' schemas, which admin (on the public host) can't
# read: allauth's single sign-on, configured by each System's admins.
SYSTEM_ONLY_APPS = {"socialaccount"}


class OperatorAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Service Desk operations")
    site_title = gettext_lazy("Service Desk operations")
    index_title = gettext_lazy("Systems, customers and money")

    def register(self, model_or_iterable, admin_class=None, **options):
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        kept = [model for model in models if model._meta.app_label not in SYSTEM_ONLY_APPS]
        if kept:
            super().register(kept, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor_used(request)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        target = local_path(request.GET.get(REDIRECT_FIELD_NAME)) or reverse("admin:index")
        if request.user.is_authenticated and request.user.is_staff:
            return self._second_factor(request, target)
        return redirect(_with_next("account_login", target))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def gate(request: HttpRequest, *args, **kwargs):
            user = request.user
            if user.is_active and user.is_staff and not second_factor_used(request):
                return self._second_factor(request, request.get_full_path())
            return inner(request, *args, **kwargs)

        return gate

    def _second_factor(self, request: HttpRequest, target: str) -> HttpResponse:
        if second_factor_used(request):
            return redirect(target)
        if Authenticator.objects.filter(
            user_id=request.user.pk, type=Authenticator.Type.TOTP
        ).exists():
            return redirect(_with_next("mfa_reauthenticate", local_path(target) or "/admin/"))
        messages.info(
            request,
            _("Operators use a second factor: set up an authenticator app, then open admin again."),
        )
        return redirect("mfa_activate_totp")
