"""Ways into a System without a session: an invitation link, a login handoff."""

from __future__ import annotations

from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.forms import AcceptInvitationForm
from accounts.models import Invitation, Role
from accounts.selectors import admins_and_owner
from accounts.services import invitations
from accounts.services.handoff import handoff_consume
from accounts.services.seats import SeatsFull
from servicedesk.http import client_ip, is_our_origin, user_agent
from tenants.models import System
from tenants.selectors import system_url

TENANT = settings.ROOT_URLCONF

UNUSABLE_TEXT = {
    Invitation.Status.EXPIRED: gettext_lazy("This invitation has expired."),
    Invitation.Status.REVOKED: gettext_lazy("This invitation was withdrawn."),
    Invitation.Status.ACCEPTED: gettext_lazy("This invitation has already been used."),
    "unknown": gettext_lazy("This invitation link is not valid."),
}

AUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _unusable(request: HttpRequest, status: str) -> HttpResponse:
    return render(
        request,
        "accounts/invitation_unusable.html",
        {"status": status, "text": UNUSABLE_TEXT.get(status, UNUSABLE_TEXT["unknown"])},
        status=410 if status != "unknown" else 404,
    )


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        return _unusable(request, "unknown")
    if invitation.status != Invitation.Status.PENDING:
        return _unusable(request, invitation.status)
    form = AcceptInvitationForm(email=invitation.email)
    if request.method == "POST":
        form = AcceptInvitationForm(request.POST, email=invitation.email)
        if form.is_valid():
            try:
                user = invitations.invitation_accept(
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                    ip=client_ip(request),
                    user_agent=user_agent(request),
                )
            except invitations.InvitationUnusable as error:
                return _unusable(request, error.status)
            except SeatsFull:
                return render(
                    request,
                    "accounts/system_full.html",
                    {"admins": admins_and_owner().order_by("role", "full_name")},
                    status=409,
                )
            login(request, user, backend=AUTH_BACKEND)
            messages.success(request, _("Welcome to %(system)s!") % {"system": request.system.name})
            return redirect("dashboard")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "Role": Role},
        status=400 if form.is_bound else 200,
    )


def handoff_page(request: HttpRequest, *, system: System, token: str) -> HttpResponse:
    """The page that hands a new System's owner over to it: one click posts the token there.

    The token never appears in a link (history, logs, Referer), only in this page, which
    only the browser that confirmed the signup (or opened the System) receives.
    """
    response = render(
        request,
        "accounts/handoff.html",
        {
            "system": system,
            "token": token,
            "action": system_url(system=system, path=reverse("login_handoff", urlconf=TENANT)),
            "login_url": system_url(system=system, path=reverse("account_login", urlconf=TENANT)),
        },
    )
    # The browser must send our origin with the post (no-referrer would make it "null").
    response["Referrer-Policy"] = "origin"
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # the post comes from our other host; the Origin check below stands in for CSRF
@require_http_methods(["GET", "POST"])
def handoff(request: HttpRequest) -> HttpResponse:
    """Signs in the new System's owner from the hand-over page (on our public site or his
    other System): the single-use token arrives in the body, from one of our own origins."""
    user = None
    if request.method == "POST" and is_our_origin(request.headers.get("Origin")):
        user = handoff_consume(token=request.POST.get("token", ""))
    if user is None:
        messages.error(
            request, _("That sign-in link has expired or was already used. Sign in below.")
        )
        return redirect("account_login")
    # Through allauth, so its login stages and signals (audit, sessions) run as usual.
    return perform_login(request, user, email_verification="none", redirect_url="/")
