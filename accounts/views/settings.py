"""The System's settings: name and timeouts, ownership."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts import selectors
from accounts.forms import SystemSettingsForm, TransferOwnershipForm
from accounts.permissions import Perm, require
from accounts.services.people import ownership_transfer
from accounts.services.system_settings import system_settings_update
from servicedesk.http import client_ip


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
            system_settings_update(actor=request.user, ip=client_ip(request), **form.cleaned_data)
            messages.success(request, "Settings saved.")
            return redirect("system_settings")
    return render(
        request, "accounts/settings.html", {"form": form}, status=400 if form.is_bound else 200
    )


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
