"""Exports of everything a System holds: start one, watch it, download it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import Perm, require
from servicedesk.http import client_ip
from tenants.portability import selectors
from tenants.portability.models import Export
from tenants.portability.services import exports


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.EXPORT_DATA)
    if request.method == "POST":
        export = exports.export_request(actor=request.user, ip=client_ip(request))
        messages.success(
            request,
            _("Export #%(number)s is under way. We email %(email)s when it is ready.")
            % {"number": export.pk, "email": request.user.email},
        )
        return redirect("export")
    recent = selectors.exports_of(system=request.system)
    rows = [(export, exports.progress(export)) for export in recent]
    return render(
        request,
        "tenants/export.html",
        {
            "rows": rows,
            "working": any(
                e.status in (Export.Status.QUEUED, Export.Status.RUNNING) for e in recent
            ),
            "ttl_hours": settings.EXPORT_TTL_HOURS,
        },
    )


def _export_or_404(request: HttpRequest, export_id: int) -> Export:
    """One of this System's exports, for someone who may export."""
    require(request.user, Perm.EXPORT_DATA)
    export = selectors.export_of(system=request.system, export_id=export_id)
    if export is None:
        raise Http404("No such export.")
    return export


@login_required
@require_GET
def export_progress(request: HttpRequest, export_id: int) -> JsonResponse:
    export = _export_or_404(request, export_id)
    return JsonResponse(exports.progress(export))


@login_required
@require_GET
def export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    export = _export_or_404(request, export_id)
    try:
        path = exports.export_download(actor=request.user, export=export, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("export")
    name = f"{request.system.slug}-export-{export.pk}.zip"
    if settings.FILE_SERVING == "django":
        response: HttpResponse = FileResponse(
            path.open("rb"), content_type="application/zip", as_attachment=True, filename=name
        )
    else:
        response = HttpResponse(content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(True, name)
        if settings.FILE_SERVING == "x-accel":
            # nginx: `location /protected-exports/ { internal; alias <EXPORT_ROOT>/; }`
            relative = path.relative_to(settings.EXPORT_ROOT)
            response["X-Accel-Redirect"] = f"{settings.X_ACCEL_EXPORT_PREFIX}{relative}"
        else:
            response["X-Sendfile"] = str(path)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
