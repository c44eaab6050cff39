"""How allauth behaves inside a System."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import AuditEvent
from accounts.services.audit import audit_record
from servicedesk.http import client_ip, local_path
from servicedesk.queue import enqueue_on_commit


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": (
            "Too many failed sign-in attempts. For your security, signing in to this account "
            "is paused for 5 minutes. If you have forgotten your password, reset it below."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join a System only through an invitation from its admins.
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now, send from a worker once the transaction commits."""
        from servicedesk.tasks import send_email

        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, kind in getattr(message, "alternatives", [])
                if kind == "text/html"
            ),
            None,
        )
        for address in message.to:
            enqueue_on_commit(
                send_email, to=address, subject=message.subject, text=message.body, html=html
            )

    def is_safe_url(self, url: str) -> bool:
        # Only paths of this very host: every System shares BASE_DOMAIN, so allauth's default
        # (any host in ALLOWED_HOSTS) would let a login at one System land on another.
        return local_path(url) is not None

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's throttles (login, failed logins, password reset) count per address: the
        # same address our rate limits and the audit log use, proxies taken into account.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip

    def pre_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse | None:
        if getattr(user, "is_suspended", False):
            return render(request, "accounts/suspended.html", {"person": user}, status=403)
        return super().pre_login(request, user, **kwargs)


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        if sessions:
            user = sessions[0].user
            request = getattr(self, "request", None)
            audit_record(
                action=AuditEvent.Action.SESSIONS_ENDED,
                actor=user,
                target=user.email,
                ip=client_ip(request) if request is not None else None,
                detail={"sessions": len(sessions)},
            )
