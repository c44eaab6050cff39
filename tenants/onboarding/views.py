"""The public site (landing, signup, confirmation) and opening another System from one."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.permissions import Perm, require
from accounts.views.entry import handoff_page
from legal.selectors import terms_current
from servicedesk import ratelimit
from servicedesk.forms import add_errors
from servicedesk.http import client_ip, user_agent
from tenants import selectors
from tenants.onboarding import services
from tenants.onboarding.forms import OpenSystemForm, SignupForm


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "public/landing.html", {"references": selectors.reference_customers()})


def signup(request: HttpRequest) -> HttpResponse:
    terms = terms_current()
    form = SignupForm()
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            ip = client_ip(request) or "unknown"
            if not ratelimit.hit("signup", ip, limit=settings.SIGNUPS_PER_HOUR_PER_IP, window=3600):
                form.add_error(
                    None, _("Too many signups from your network in the last hour; try later.")
                )
            else:
                data = form.cleaned_data
                try:
                    services.signup_start(
                        company_name=data["company_name"],
                        slug=data["slug"],
                        full_name=data["full_name"],
                        email=data["email"],
                        password=data["password"],
                        terms=terms,
                        ip=client_ip(request),
                        user_agent=user_agent(request),
                        language=translation.get_language(),
                        time_zone=data["time_zone"],
                    )
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    request.session["signup_email"] = data["email"]
                    return redirect("signup_sent")
    return render(
        request,
        "public/signup.html",
        {"form": form, "terms": terms},
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_GET
def subdomain_check(request: HttpRequest) -> JsonResponse:
    """Live availability for the signup form (the form checks again on submit)."""
    if not ratelimit.hit("subdomain-check", client_ip(request) or "unknown", limit=120, window=60):
        return JsonResponse({"error": _("Too many checks; slow down.")}, status=429)
    return subdomain_check_response(request.GET.get("slug", ""))


def subdomain_check_response(slug: str) -> JsonResponse:
    available, message, suggestion = services.subdomain_check(slug=slug)
    return JsonResponse(
        {
            "slug": slug.strip().lower(),
            "available": available,
            "message": message,
            "suggestion": suggestion,
        }
    )


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "public/signup_sent.html", {"email": request.session.get("signup_email")}
    )


def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST creates the System (mail scanners only ever GET)."""
    signup = services.signup_for_token(token)
    if request.method == "POST" and signup is not None:
        try:
            system, login_token = services.signup_confirm(token=token)
        except services.SignupUnusable as error:
            return _unusable(request, error.status, error.system)
        return handoff_page(request, system=system, token=login_token)
    if signup is None:
        return _unusable(request, "unknown", None)
    if signup.confirmed_at:
        return _unusable(request, "used", signup.system)
    return render(request, "public/signup_confirm.html", {"signup": signup})


def _unusable(request: HttpRequest, status: str, system) -> HttpResponse:
    login_url = selectors.system_url(system=system, path="/accounts/login/") if system else None
    return render(
        request,
        "public/signup_unusable.html",
        {"status": status, "login_url": login_url},
        status=404 if status == "unknown" else 410,
    )


@login_required
def open_system(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.OPEN_SYSTEM)
    form = OpenSystemForm()
    if request.method == "POST":
        form = OpenSystemForm(request.POST)
        if form.is_valid():
            try:
                system, login_token = services.system_open_another(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    slug=form.cleaned_data["slug"],
                    ip=client_ip(request),
                    user_agent=user_agent(request),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return handoff_page(request, system=system, token=login_token)
    return render(
        request, "accounts/open_system.html", {"form": form}, status=400 if form.is_bound else 200
    )


@never_cache
@login_required
@require_GET
def open_system_check(request: HttpRequest) -> JsonResponse:
    """Live availability of an address for the "open another help desk" form."""
    require(request.user, Perm.OPEN_SYSTEM)
    return subdomain_check_response(request.GET.get("slug", ""))
