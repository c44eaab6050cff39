"""Hiding the set-up checklist (the dashboard shows it: tickets.views.lists)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets.onboarding import services


@login_required
@require_POST
def checklist_hide(request: HttpRequest) -> HttpResponse:
    services.checklist_hide(actor=request.user)
    messages.success(request, _("The set-up checklist is hidden."))
    return redirect("dashboard")
