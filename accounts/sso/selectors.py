"""Reads for single sign-on: the System's provider, its policy, its verified domains, and who
may join."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.socialaccount.models import SocialApp
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from accounts.models import Invitation, Role, User
from accounts.permissions import Perm, require
from accounts.services.invitations import pending_invitations, seats_committed
from accounts.sso.models import SSO_PROVIDER, SSO_PROVIDER_ID, SingleSignOn, VerifiedDomain
from accounts.sso.secrets import secret_unseal
from servicedesk.schema import in_public_schema
from tenants.models import System


def sso_settings() -> SingleSignOn:
    """The System's policy (an unsaved default before the first change)."""
    return SingleSignOn.objects.order_by("pk").first() or SingleSignOn()


def sso_app(*, with_secret: bool = False) -> SocialApp | None:
    """The connected provider, or None (always None on the public site: operators sign in
    with a password and a second factor). ``with_secret`` unseals the client secret into
    the (unsaved) row for allauth's token request."""
    if in_public_schema():
        return None
    app = SocialApp.objects.filter(provider=SSO_PROVIDER, provider_id=SSO_PROVIDER_ID).first()
    if app is not None and with_secret:
        app.secret = secret_unseal(sso_settings().client_secret_sealed)
    return app


def sso_issuer(app: SocialApp) -> str:
    return str(app.settings.get("server_url", ""))


def callback_path() -> str:
    """The path of the redirect URI admins register at their provider."""
    return reverse("openid_connect_callback", kwargs={"provider_id": SSO_PROVIDER_ID})


def login_path() -> str:
    return reverse("openid_connect_login", kwargs={"provider_id": SSO_PROVIDER_ID})


@dataclass(frozen=True)
class LoginOffer:
    """What the sign-in page offers: the provider's button, and whether passwords work."""

    name: str
    login_url: str
    password_login_allowed: bool


def login_offer() -> LoginOffer | None:
    app = sso_app()
    if app is None:
        return None
    return LoginOffer(
        name=app.name,
        login_url=login_path(),
        password_login_allowed=sso_settings().password_login_allowed,
    )


def password_login_refused(*, user: User) -> bool:
    """Whether ``user`` may not sign in with a password here: the admins turned password
    sign-in off while a provider is connected. The owner always may (the way back in when
    the provider fails or is misconfigured)."""
    if user.role == Role.OWNER or in_public_schema():
        return False
    policy = SingleSignOn.objects.order_by("pk").first()
    if policy is None or policy.password_login_allowed:
        return False
    return sso_app() is not None


def domains_for_user(*, user: User) -> QuerySet[VerifiedDomain]:
    require(user, Perm.MANAGE_SSO)
    return VerifiedDomain.objects.order_by("domain")


def domain_get_for_user(*, user: User, domain_id: int) -> VerifiedDomain:
    require(user, Perm.MANAGE_SSO)
    domain = VerifiedDomain.objects.filter(pk=domain_id).first()
    if domain is None:
        raise Http404("No such domain.")
    return domain


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def domain_is_verified(domain: str) -> bool:
    return VerifiedDomain.objects.filter(domain__iexact=domain, verified_at__isnull=False).exists()


# Why someone may (or may not) join through single sign-on.
INVITED = "invited"
DOMAIN = "domain"
NOT_INVITED = "not_invited"
NO_SEAT = "no_seat"


def pending_invitation_for(email: str) -> Invitation | None:
    return pending_invitations().filter(email__iexact=email).first()


def join_route(*, email: str, system: System) -> str:
    """How a newcomer with this (provider-verified) address may join: INVITED (a pending
    invitation), DOMAIN (his domain is verified, the admins let such people join, and a seat
    is free that no pending invitation holds), else NOT_INVITED or NO_SEAT. The join itself
    checks again under the System's lock."""
    if pending_invitation_for(email) is not None:
        return INVITED
    if not sso_settings().domain_join or not domain_is_verified(domain_of(email)):
        return NOT_INVITED
    if seats_committed() >= system.seat_cap:
        return NO_SEAT
    return DOMAIN
