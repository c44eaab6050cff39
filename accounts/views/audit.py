from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import selectors
from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.VIEW_AUDIT)
    actor = request.GET.get("actor", "")
    filters = selectors.AuditFilter(
        action=request.GET.get("action", "")
        if request.GET.get("action") in AuditEvent.Action
        else "",
        actor_id=int(actor) if actor.isdigit() else None,
        since=_date(request.GET.get("since", "")),
        until=_date(request.GET.get("until", "")),
    )
    events, next_cursor = selectors.audit_page(
        actor=request.user, filters=filters, cursor=request.GET.get("after", "")
    )
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "accounts/audit.html",
        {
            "events": events,
            "next_cursor": next_cursor,
            "filters": filters,
            "actions": AuditEvent.Action.choices,
            "people": User.objects.order_by("full_name", "email").only("id", "full_name", "email"),
            "query": query.urlencode(),
            "is_first_page": not request.GET.get("after"),
        },
    )
