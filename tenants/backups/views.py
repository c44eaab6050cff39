"""Restore requests: the owner or an admin asks the operator to restore a backup."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import Perm, require
from servicedesk.http import client_ip
from tenants.backups import selectors as selectors_backups
from tenants.backups.forms import RestoreRequestForm
from tenants.backups.models import Backup
from tenants.backups.services.restore_requests import OPEN_STATUSES, restore_request_create


@login_required
@require_http_methods(["GET", "POST"])
def restore_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.REQUEST_RESTORE)
    system = request.system  # type: ignore[attr-defined]
    offered = list(selectors_backups.backups_offered(system=system))
    form = RestoreRequestForm(request.POST or None, backups=_as_queryset(offered))
    if request.method == "POST" and form.is_valid():
        backup = form.cleaned_data.get("backup")
        try:
            made = restore_request_create(
                actor=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                backup_id=backup.pk if backup else None,
                point_in_time=form.cleaned_data.get("point_in_time"),
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Restore request #%(number)s sent. The operator answers by %(due)s UTC at "
                    "the latest."
                )
                % {"number": made.pk, "due": formats.date_format(made.due_at, "DATETIME_FORMAT")},
            )
            return redirect("restore_request")
    requests = list(selectors_backups.restore_requests_of(system=system))
    return render(
        request,
        "tenants/restore.html",
        {
            "form": form,
            "offered": offered,
            "requests": requests,
            "waiting": any(r.status in OPEN_STATUSES for r in requests),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _as_queryset(offered: list[Backup]) -> QuerySet[Backup]:
    return Backup.objects.filter(pk__in=[backup.pk for backup in offered]).order_by(
        "-started_at", "-id"
    )
