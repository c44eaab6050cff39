"""The person's own security page and "someone else used my account"."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import ProfileForm
from accounts.phones import phone_display
from accounts.selectors import security_reports_of
from accounts.services.people import profile_update
from accounts.services.security import account_report_compromise
from servicedesk.http import client_ip, user_agent
from tenants.selectors import system_url


@login_required
def security_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {
            "has_mfa": Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists(),
            "session_count": UserSession.objects.filter(user=request.user).count(),
            "reports": security_reports_of(system=request.system, user=request.user)[:10],
        },
    )


@login_required
@require_POST
def report_compromise(request: HttpRequest) -> HttpResponse:
    system = request.system

    def reset_url(user) -> str:
        key = default_token_generator.make_token(user)
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
        )
        return system_url(system=system, path=path)

    account_report_compromise(
        user=request.user,
        ip=client_ip(request),
        user_agent=user_agent(request),
        reset_url_builder=reset_url,
    )
    logout(request)
    return render(request, "accounts/compromise_reported.html")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """A person's own name and phone number."""
    form = ProfileForm(
        initial={"full_name": request.user.full_name, "phone": phone_display(request.user.phone)}
    )
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            profile_update(actor=request.user, ip=client_ip(request), **form.cleaned_data)
            messages.success(request, _("Your profile is saved."))
            return redirect("account_security")
    return render(
        request, "accounts/profile.html", {"form": form}, status=400 if form.is_bound else 200
    )
