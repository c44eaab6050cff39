"""What a System's status lets each person reach.

Suspended (unpaid): owner and admins reach billing, export and their account; everyone
else sees a notice saying whom to ask. Terminated: only the owner, to billing and export,
until the retention period ends. Nothing is deleted by either.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role, User
from tenants.models import System

ALWAYS_OPEN = (
    "/accounts/",
    "/account/",
    "/terms/",
    "/privacy/",
    "/static/",
    "/healthz",
    "/welcome/",
    "/language/",  # the footer's switcher, and the strings of scripts, in every state
    "/jsi18n/",
    "/api/",  # tokens, not sessions: accounts.api.gates answers a problem for a token
)
PAY_AND_LEAVE = ("/billing/", "/settings/export/", "/settings/delete/")


class SystemStatusMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        system = getattr(request, "system", None)
        if system is None or system.status in {System.Status.TRIAL, System.Status.ACTIVE}:
            return self.get_response(request)
        path = request.path
        if path.startswith(ALWAYS_OPEN):
            return self.get_response(request)
        user = request.user
        terminated = system.status == System.Status.TERMINATED
        allowed = {Role.OWNER} if terminated else {Role.OWNER, Role.ADMIN}
        may_stay = user.is_authenticated and user.role in allowed
        if may_stay and path.startswith(PAY_AND_LEAVE):
            return self.get_response(request)
        if not user.is_authenticated and system.status == System.Status.SUSPENDED:
            return self.get_response(request)  # signing in still works; the notice follows
        owners = User.objects.filter(role__in=[Role.OWNER, Role.ADMIN], is_active=True).order_by(
            "role", "full_name"
        )
        return render(
            request,
            "tenants/status_notice.html",
            {"status": system.status, "contacts": owners, "may_stay": may_stay},
            status=403,
        )
