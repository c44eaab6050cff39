"""How allauth behaves inside a System."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent
from accounts.services.audit import audit_record
from accounts.sso.selectors import login_offer, password_login_refused
from accounts.sso.services import sso_refusal_record
from servicedesk.http import client_ip, local_path
from servicedesk.mail import SEND_EMAIL, for_reader
from servicedesk.queue import enqueue_on_commit
from tenants.models import System
from tenants.selectors import public_url, system_domain, system_url


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts. For your security, signing in to this account "
            "is paused for 5 minutes. If you have forgotten your password, reset it below."
        ),
    }

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # On the public site only operators sign in: their place is admin.
        if getattr(request, "system", None) is None:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join a System only through an invitation from its admins.
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now, send from a worker once the transaction commits."""
        context = {"email": email, "current_site": _site(), **context}
        # In the reader's language and zone, not the one of whoever caused the mail.
        with for_reader(email):
            message = self.render_mail(template_prefix, email, context)
            language = translation.get_language()
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
                SEND_EMAIL,
                to=address,
                subject=message.subject,
                text=message.body,
                html=html,
                language=language,  # of the footer the worker adds
            )

    # Links in mail are built from the configured address of the System (or the public
    # site), never from the request's Host header and port.
    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return _absolute(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request: HttpRequest | None, emailconfirmation) -> str:
        return _absolute(reverse("account_confirm_email", args=[emailconfirmation.key]))

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
        through_provider = "sociallogin" in (kwargs.get("signal_kwargs") or {})
        if not through_provider and password_login_refused(user=user):
            clear_login(request)
            sso_refusal_record(email=user.email, reason="password_off", ip=client_ip(request))
            offer = login_offer()
            return render(request, "accounts/sso/password_refused.html", {"sso": offer}, status=403)
        return super().pre_login(request, user, **kwargs)


def _current_system() -> System | None:
    request = context.request
    return getattr(request, "system", None) if request is not None else None


def _absolute(path: str) -> str:
    system = _current_system()
    return system_url(system=system, path=path) if system else public_url(path=path)


def _site() -> SimpleNamespace:
    """What allauth's mail templates call the site: the System, by its configured address."""
    system = _current_system()
    domain = system_domain(slug=system.slug) if system and system.slug else settings.BASE_DOMAIN
    return SimpleNamespace(name=system.name if system else "Service Desk", domain=domain)


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


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "This help desk requires two-factor authentication of everyone, so yours cannot be "
            "turned off. If you lost your device, use a recovery code or ask the owner."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        system = getattr(context.request, "system", None)
        required = system is not None and system.require_second_factor
        return not (required and authenticator.type == Authenticator.Type.TOTP)
