"""Deleting the whole System: schedule it (password + typed subdomain), see it pending,
undo it (signed in, or by the emailed link)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import Perm, require
from servicedesk.http import client_ip
from tenants.lifecycle import deletion
from tenants.lifecycle.forms import SystemDeleteForm


@login_required
@require_http_methods(["GET", "POST"])
def system_delete(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.DELETE_SYSTEM)
    system = request.system
    pending = deletion.deletion_pending(system=system)
    form = SystemDeleteForm()
    if request.method == "POST" and pending is None:
        form = SystemDeleteForm(request.POST)
        if form.is_valid():
            try:
                scheduled = deletion.deletion_schedule(
                    actor=request.user,
                    system=system,
                    password=form.cleaned_data["password"],
                    subdomain=form.cleaned_data["subdomain"],
                    ip=client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.warning(
                    request,
                    _(
                        "%(system)s will be deleted on %(due)s UTC. We emailed %(email)s a link "
                        "to undo it."
                    )
                    % {
                        "system": system.name,
                        "due": formats.date_format(scheduled.due_at, "DATETIME_FORMAT"),
                        "email": request.user.email,
                    },
                )
                return redirect("system_delete")
    return render(
        request,
        "tenants/delete.html",
        {
            "form": form,
            "pending": pending,
            "grace_days": settings.SYSTEM_DELETION_GRACE_DAYS,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def system_delete_undo(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.DELETE_SYSTEM)
    try:
        deletion.deletion_cancel(actor=request.user, system=request.system, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The deletion is undone: %(system)s stays.") % {"system": request.system.name},
        )
    return redirect("system_delete")


@login_required
@require_http_methods(["GET", "POST"])
def system_delete_undo_link(request: HttpRequest, undo_token: str) -> HttpResponse:
    """The emailed link: GET asks (mail scanners follow links), POST undoes."""
    require(request.user, Perm.DELETE_SYSTEM)
    pending = deletion.deletion_check_token(system=request.system, token=undo_token)
    if pending is None:
        return render(request, "tenants/delete_undo_unusable.html", status=404)
    if request.method == "POST":
        try:
            deletion.deletion_cancel(
                actor=request.user, system=request.system, token=undo_token, ip=client_ip(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The deletion is undone: %(system)s stays.") % {"system": request.system.name},
            )
        return redirect("system_delete")
    return render(request, "tenants/delete_undo.html", {"pending": pending})
