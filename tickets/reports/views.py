"""The reports page and its CSV downloads (staff with VIEW_REPORTS)."""

from __future__ import annotations

import csv
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Perm, require
from servicedesk.spreadsheet import csv_cell
from tickets.reports import charts, selectors
from tickets.reports.forms import RangeForm, range_form


def _form(request: HttpRequest) -> tuple[RangeForm, ZoneInfo]:
    require(request.user, Perm.VIEW_REPORTS)
    zone = selectors.report_zone()
    today = timezone.now().astimezone(zone).date()
    return range_form(request.GET, today=today), zone


@login_required
def report(request: HttpRequest) -> HttpResponse:
    form, zone = _form(request)
    if not form.is_valid():
        return render(request, "tickets/reports/report.html", {"form": form}, status=400)
    data = form.cleaned_data
    found = selectors.report(
        user=request.user, first=data["start"], last=data["end"], by=data["by"], zone=zone
    )
    return render(
        request,
        "tickets/reports/report.html",
        {
            "form": form,
            "report": found,
            "query": request.GET.urlencode(),
            "created_chart": charts.line_chart(found.created, chart_id="chart-created"),
            "backlog_chart": charts.line_chart(found.backlog, chart_id="chart-backlog"),
            "times_chart": charts.bar_chart(
                found.times, chart_id="chart-times", columns=[1, 2], unit=_("%(value)s h")
            ),
            "sla_chart": charts.bar_chart(found.sla, chart_id="chart-sla", columns=[1, 2]),
        },
    )


@login_required
def report_csv(request: HttpRequest, key: str) -> HttpResponse:
    form, zone = _form(request)
    if not form.is_valid():
        raise Http404("No such range.")
    data = form.cleaned_data
    table = selectors.report_table(
        user=request.user,
        first=data["start"],
        last=data["end"],
        by=data["by"],
        key=key,
        zone=zone,
    )
    if table is None:
        raise Http404("No such table.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{key}-{data["start"]:%Y%m%d}-{data["end"]:%Y%m%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([str(header) for header in table.headers])
    writer.writerows([csv_cell(v) for v in row] for row in table.rows)
    return response
