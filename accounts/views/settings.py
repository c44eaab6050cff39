"""The System's settings: name and timeouts, ownership, another System."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors
from accounts.forms import ConsentForm, OpenSystemForm, SystemSettingsForm, TransferOwnershipForm
from accounts.permissions import Perm, require
from accounts.services.people import ownership_transfer
from accounts.views.entry import handoff_page
from legal.services.consents import consents_update
from servicedesk.forms import add_errors
from servicedesk.http import client_ip, user_agent
from tenants import services as tenant_services
from tenants.views import subdomain_check_response


@login_required
def system_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CHANGE_SETTINGS)
    system = request.system
    form = SystemSettingsForm(
        initial={
            "name": system.name,
            "idle_timeout_minutes": system.idle_timeout_minutes,
            "invite_expiry_days": system.invite_expiry_days,
        }
    )
    if request.method == "POST":
        form = SystemSettingsForm(request.POST)
        if form.is_valid():
            tenant_services.system_settings_update(
                actor=request.user, ip=client_ip(request), **form.cleaned_data
            )
            messages.success(request, "Settings saved.")
            return redirect("system_settings")
    consent_form = ConsentForm(
        initial={
            "reference": system.consent_reference,
            "announcements": system.consent_announcements,
        }
    )
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "consent_form": consent_form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def consents(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.CHANGE_SETTINGS)
    form = ConsentForm(request.POST)
    form.is_valid()  # two checkboxes: always valid; absent means "no"
    consents_update(
        actor=request.user,
        reference=form.cleaned_data.get("reference", False),
        announcements=form.cleaned_data.get("announcements", False),
        ip=client_ip(request),
    )
    messages.success(request, "Your choices are saved.")
    return redirect("system_settings")


@login_required
def ownership(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TRANSFER_OWNERSHIP)
    candidates = selectors.transfer_candidates().order_by("full_name", "email")
    form = TransferOwnershipForm(actor=request.user, candidates=candidates)
    if request.method == "POST":
        form = TransferOwnershipForm(request.POST, actor=request.user, candidates=candidates)
        if form.is_valid():
            new_owner = form.cleaned_data["new_owner"]
            try:
                ownership_transfer(actor=request.user, new_owner=new_owner, ip=client_ip(request))
            except ValidationError as error:
                form.add_error("new_owner", error)
            else:
                messages.success(request, f"{new_owner} now owns this help desk; you are an admin.")
                return redirect("dashboard")
    return render(
        request, "accounts/ownership.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def open_system(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.OPEN_SYSTEM)
    form = OpenSystemForm()
    if request.method == "POST":
        form = OpenSystemForm(request.POST)
        if form.is_valid():
            try:
                system, login_token = tenant_services.system_open_another(
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
