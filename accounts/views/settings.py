"""The System's settings: name and timeouts, ownership."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.forms import SystemSettingsForm, TransferOwnershipForm
from accounts.permissions import Perm, require
from accounts.services.people import ownership_transfer
from accounts.services.system_settings import (
    second_factor_requirement_set,
    system_settings_update,
)
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
            messages.success(request, _("Settings saved."))
            return redirect("system_settings")
    return render(
        request,
        "accounts/settings.html",
        _settings_context(request, form),
        status=400 if form.is_bound else 200,
    )


def _settings_context(request: HttpRequest, form: SystemSettingsForm) -> dict[str, object]:
    without = list(selectors.people_without_second_factor()[:11])
    return {
        "form": form,
        # Who would be (or is being) sent to set one up; ten names, and whether there are more.
        "without_second_factor": without[:10],
        "more_without_second_factor": len(without) > 10,
        "i_have_second_factor": selectors.has_second_factor(user=request.user),
    }


@login_required
@require_POST
def second_factor_policy(request: HttpRequest) -> HttpResponse:
    """The owner's switch on the settings page: a second factor for everyone, or not."""
    required = request.POST.get("require_second_factor") == "on"
    try:
        second_factor_requirement_set(actor=request.user, required=required, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Everyone now needs two-factor authentication; people without it are asked to "
                "set it up before anything else."
            )
            if required
            else _("Two-factor authentication is now each person's own choice."),
        )
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
                messages.success(
                    request,
                    _("%(person)s now owns this help desk; you are an admin.")
                    % {"person": new_owner},
                )
                return redirect("dashboard")
    return render(
        request, "accounts/ownership.html", {"form": form}, status=400 if form.is_bound else 200
    )
