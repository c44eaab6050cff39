"""allauth's socialaccount inside a System: the provider comes from the System's schema, and
the seat rule decides who gets in (README, "Single sign-on").

- A returning person is found by his link to the provider (its issuer's ``sub``), or, when
  the admins turned matching on, by the address his provider says is verified: he is then
  linked. Deactivated people are refused; suspended ones see their notice (AccountAdapter).
- A newcomer needs a pending invitation for his verified address, or a verified domain the
  admins let join and a free seat. He always sees the join form (name, the terms) first;
  the account is made by accounts.sso.services.sso_join, under the System's lock.
- Everyone else gets a page that says why; the audit log records it.
"""

from __future__ import annotations

from typing import NoReturn

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal.flows.signup import clear_pending_signup
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.sso import selectors, services
from servicedesk.http import client_ip, user_agent

REFUSALS = {
    selectors.NOT_INVITED: _(
        "You have no invitation to this help desk. Ask one of its admins to invite you, "
        "then sign in with your provider again."
    ),
    selectors.NO_SEAT: _(
        "Every seat of this help desk is taken. Ask one of its admins to free a seat or to "
        "add seats."
    ),
    "deactivated": _("Your account here is deactivated. Ask one of its admins to reactivate it."),
    "unverified": _(
        "Your provider does not say that your email address is verified, so it can't be used "
        "here. Ask your provider's administrator, or one of this help desk's admins."
    ),
    "no_email": _("Your provider did not tell us your email address."),
    "not_matched": _(
        "An account with your email address already exists here. Sign in with your password; "
        "or ask one of this help desk's admins to match accounts by email address."
    ),
}


def provider_claims(sociallogin: SocialLogin) -> dict:
    """What the provider said of the person: the ID token's claims, and userinfo's over
    them (some claims are only in one of them)."""
    data = sociallogin.account.extra_data or {}
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


# Claims by which a provider says the address is the person's: the standard one, and
# Microsoft Entra ID's "email domain owner verified" (an optional claim it sends instead).
VERIFIED_CLAIMS = ("email_verified", "xms_edov")


def provider_email(sociallogin: SocialLogin) -> tuple[str, bool]:
    """The address and whether the provider says it is verified (the claim must be true,
    not merely present: some providers send the string "false")."""
    claims = provider_claims(sociallogin)
    email = str(claims.get("email") or "").strip().lower()
    verified = any(claims.get(claim) in (True, "true") for claim in VERIFIED_CLAIMS)
    return email, verified


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request: HttpRequest, provider=None, client_id=None) -> list[SocialApp]:
        # Only the System's own provider: never one from settings, never another schema's.
        app = selectors.sso_app(with_secret=True)
        if app is None:
            return []
        if provider and provider not in {app.provider, app.provider_id}:
            return []
        if client_id and client_id != app.client_id:
            return []
        return [app]

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict):
        user = super().populate_user(request, sociallogin, data)
        claims = provider_claims(sociallogin)
        given = " ".join(str(claims.get(key) or "") for key in ("given_name", "family_name"))
        user.full_name = str(data.get("name") or given).strip()[:150]
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # A signed-in person links his own identity (allauth's connections page, after
            # signing in again); allauth refuses one already linked to someone else.
            return
        email, verified = provider_email(sociallogin)
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                self._refuse(request, email, "deactivated")
            return
        if not email:
            self._refuse(request, email, "no_email")
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            if not verified:
                self._refuse(request, email, "unverified")
            return  # a newcomer: is_open_for_signup applies the seat rule
        if not person.is_active:
            self._refuse(request, email, "deactivated")
        if not verified:
            self._refuse(request, email, "unverified")
        if not selectors.sso_settings().match_by_email:
            self._refuse(request, email, "not_matched")
        sociallogin.connect(request, person)  # audited by accounts.signals

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False  # the join form asks for the terms, as an invitation's does

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        email, verified = provider_email(sociallogin)
        if not email or not verified:
            self._refuse(request, email, "unverified" if email else "no_email")
        route = selectors.join_route(email=email, system=request.system)  # type: ignore[attr-defined]
        if route not in {selectors.INVITED, selectors.DOMAIN}:
            self._refuse(request, email, route)
        return True

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form=None) -> User:
        email, _verified = provider_email(sociallogin)
        full_name = form.cleaned_data["full_name"] if form is not None else ""
        try:
            user, account = services.sso_join(
                email=email,
                full_name=full_name or sociallogin.user.full_name,
                uid=sociallogin.account.uid,
                extra_data=sociallogin.account.extra_data,
                ip=client_ip(request),
                user_agent=user_agent(request),
            )
        except services.JoinRefused as refusal:
            self._refuse(request, email, refusal.reason)
        sociallogin.user = user
        sociallogin.account = account
        return user

    def _refuse(self, request: HttpRequest, email: str, reason: str) -> NoReturn:
        clear_pending_signup(request)
        services.sso_refusal_record(email=email, reason=reason, ip=client_ip(request))
        response = render(
            request,
            "accounts/sso/refused.html",
            {
                "reason": reason,
                "text": REFUSALS.get(reason, REFUSALS[selectors.NOT_INVITED]),
                # No list of the admins: anyone who can sign in at the provider (with Google,
                # anyone at all) reaches this page.
                "email": email,
            },
            status=403,
        )
        raise ImmediateHttpResponse(response)
