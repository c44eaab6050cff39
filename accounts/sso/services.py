"""Writes for single sign-on: connecting the provider, the policy, verified domains, and
joining a System through the provider under the same seat rule as invitations.

Network reads (the issuer's discovery, DNS) happen before the transaction that writes.
"""

from __future__ import annotations

import re
import secrets

from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.hooks import person_joined
from accounts.models import AuditEvent, Role, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from accounts.services.invitations import (
    InvitationUnusable,
    invitation_take,
    pending_invitations,
    seats_committed,
)
from accounts.services.seats import SeatsFull, system_lock, user_register
from accounts.sso import discovery, selectors
from accounts.sso.models import SSO_PROVIDER, SSO_PROVIDER_ID, SingleSignOn, VerifiedDomain
from accounts.sso.secrets import secret_seal


class JoinRefused(Exception):
    """Single sign-on may not make this person an account here (selectors' reasons)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _policy_locked() -> SingleSignOn:
    policy = SingleSignOn.objects.select_for_update().order_by("pk").first()
    return policy or SingleSignOn.objects.create()


def sso_connect(
    *,
    actor: User,
    name: str,
    issuer: str,
    client_id: str,
    client_secret: str,
    ip: str | None = None,
) -> SocialApp:
    """Connect the provider, or change it. The issuer's discovery is read first (a
    ValidationError on ``issuer`` says what is wrong); a blank secret keeps the one kept."""
    require(actor, Perm.MANAGE_SSO)
    issuer = discovery.issuer_normalise(issuer)
    discovery.issuer_discover(issuer)
    return _sso_save(
        actor=actor,
        name=name.strip(),
        issuer=issuer,
        client_id=client_id.strip(),
        client_secret=client_secret.strip(),
        ip=ip,
    )


@transaction.atomic
def _sso_save(
    *, actor: User, name: str, issuer: str, client_id: str, client_secret: str, ip: str | None
) -> SocialApp:
    policy = _policy_locked()
    app = SocialApp.objects.filter(provider=SSO_PROVIDER, provider_id=SSO_PROVIDER_ID).first()
    if not client_secret and (app is None or not policy.client_secret_sealed):
        raise ValidationError({"client_secret": _("Enter the client secret.")})
    before = (
        {"name": app.name, "issuer": selectors.sso_issuer(app), "client_id": app.client_id}
        if app
        else {}
    )
    links_removed = 0
    if app is None:
        app = SocialApp(provider=SSO_PROVIDER, provider_id=SSO_PROVIDER_ID)
        policy.connected_at = timezone.now()
    elif before["issuer"] != issuer:
        # A subject ("sub") is unique only within its issuer: links made with the old one
        # could point someone of the new one at another person's account.
        links_removed, _deleted = SocialAccount.objects.filter(provider=SSO_PROVIDER_ID).delete()
    app.name = name
    app.client_id = client_id
    app.secret = ""  # sealed in the policy row instead
    app.settings = {"server_url": issuer, "oauth_pkce_enabled": True}
    app.save()
    if client_secret:
        policy.client_secret_sealed = secret_seal(client_secret)
    policy.updated_at = timezone.now()
    policy.save()
    after = {"name": name, "issuer": issuer, "client_id": client_id}
    audit_record(
        action=AuditEvent.Action.SSO_CHANGED,
        actor=actor,
        target=name,
        ip=ip,
        detail={
            "change": "provider_changed" if before else "connected",
            "changed": sorted(key for key in after if before.get(key) != after[key]),
            "issuer": issuer,
            "secret_replaced": bool(client_secret),
            "links_removed": links_removed,
        },
    )
    return app


@transaction.atomic
def sso_disconnect(*, actor: User, ip: str | None = None) -> None:
    """Forget the provider and its secret; passwords work again for everyone. People's
    links stay, for a reconnection to the same issuer."""
    require(actor, Perm.MANAGE_SSO)
    policy = _policy_locked()
    app = SocialApp.objects.filter(provider=SSO_PROVIDER, provider_id=SSO_PROVIDER_ID).first()
    if app is None:
        return
    name = app.name
    app.delete()
    policy.client_secret_sealed = ""
    policy.password_login_allowed = True
    policy.connected_at = None
    policy.updated_at = timezone.now()
    policy.save()
    audit_record(
        action=AuditEvent.Action.SSO_CHANGED,
        actor=actor,
        target=name,
        ip=ip,
        detail={"change": "disconnected"},
    )


POLICY_FIELDS = ("password_login_allowed", "match_by_email", "domain_join")


@transaction.atomic
def sso_policy_set(
    *,
    actor: User,
    password_login_allowed: bool,
    match_by_email: bool,
    domain_join: bool,
    ip: str | None = None,
) -> SingleSignOn:
    require(actor, Perm.MANAGE_SSO)
    policy = _policy_locked()
    if not password_login_allowed and selectors.sso_app() is None:
        raise ValidationError(
            {
                "password_login_allowed": _(
                    "Connect a provider first: without one, nobody could sign in."
                )
            }
        )
    wanted = {
        "password_login_allowed": password_login_allowed,
        "match_by_email": match_by_email,
        "domain_join": domain_join,
    }
    changed = {field: value for field, value in wanted.items() if getattr(policy, field) != value}
    if not changed:
        return policy
    for field, value in changed.items():
        setattr(policy, field, value)
    policy.updated_at = timezone.now()
    policy.save()
    audit_record(
        action=AuditEvent.Action.SSO_CHANGED,
        actor=actor,
        ip=ip,
        detail={"change": "policy", **{field: value for field, value in changed.items()}},
    )
    return policy


_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def domain_normalise(raw: str) -> str:
    text = raw.strip().lower().rstrip(".")
    text = text.removeprefix("@").rpartition("@")[2]
    try:
        domain = text.encode("idna").decode("ascii")
    except UnicodeError:
        domain = ""
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValidationError(
            {"domain": _("“%(text)s” is not a domain name (such as example.com).") % {"text": raw}}
        )
    return domain


@transaction.atomic
def domain_add(*, actor: User, domain: str, ip: str | None = None) -> VerifiedDomain:
    """A domain to verify: the page then shows the TXT record to publish."""
    require(actor, Perm.MANAGE_SSO)
    domain = domain_normalise(domain)
    if VerifiedDomain.objects.filter(domain__iexact=domain).exists():
        raise ValidationError({"domain": _("%(domain)s is already listed.") % {"domain": domain}})
    added = VerifiedDomain.objects.create(
        domain=domain, token=secrets.token_hex(16), added_by_label=actor.get_full_name()
    )
    audit_record(action=AuditEvent.Action.SSO_DOMAIN_ADDED, actor=actor, target=domain, ip=ip)
    return added


def domain_check(*, actor: User, domain: VerifiedDomain, ip: str | None = None) -> VerifiedDomain:
    """Look the TXT record up now (outside any transaction), then record the outcome."""
    require(actor, Perm.MANAGE_SSO)
    try:
        values = discovery.txt_records(domain.record_name)
    except ValidationError as error:
        return _domain_checked(actor=actor, domain=domain, error=" ".join(error.messages), ip=ip)
    if domain.record_value in (value.strip() for value in values):
        return _domain_checked(actor=actor, domain=domain, error="", ip=ip)
    return _domain_checked(
        actor=actor,
        domain=domain,
        error=_("No TXT record %(value)s was found at %(name)s yet.")
        % {"value": domain.record_value, "name": domain.record_name},
        ip=ip,
    )


@transaction.atomic
def _domain_checked(
    *, actor: User, domain: VerifiedDomain, error: str, ip: str | None
) -> VerifiedDomain:
    domain = VerifiedDomain.objects.select_for_update().get(pk=domain.pk)
    now = timezone.now()
    domain.checked_at = now
    domain.check_error = error[:300]
    newly_verified = not error and domain.verified_at is None
    if newly_verified:
        domain.verified_at = now
    domain.save(update_fields=["checked_at", "check_error", "verified_at"])
    if newly_verified:
        audit_record(
            action=AuditEvent.Action.SSO_DOMAIN_VERIFIED, actor=actor, target=domain.domain, ip=ip
        )
    return domain


@transaction.atomic
def domain_remove(*, actor: User, domain: VerifiedDomain, ip: str | None = None) -> None:
    require(actor, Perm.MANAGE_SSO)
    deleted, _kinds = VerifiedDomain.objects.filter(pk=domain.pk).delete()
    if deleted:
        audit_record(
            action=AuditEvent.Action.SSO_DOMAIN_REMOVED, actor=actor, target=domain.domain, ip=ip
        )


@transaction.atomic
def sso_join(
    *,
    email: str,
    full_name: str,
    uid: str,
    extra_data: dict,
    ip: str | None,
    user_agent: str,
) -> tuple[User, SocialAccount]:
    """Make the account of a newcomer whose provider verified ``email``, linked to his
    identity ``uid``: through his pending invitation (accepted as the link would, terms
    included), or, when the admins allow it, as a member from a verified domain while a seat
    is free that no pending invitation holds. Raises JoinRefused (selectors' reasons)."""
    system = system_lock()  # first, always: the lock order of invitations
    invitation = pending_invitations().select_for_update().filter(email__iexact=email).first()
    try:
        if invitation is not None:
            user = invitation_take(
                system=system,
                invitation=invitation,
                full_name=full_name,
                password=None,
                ip=ip,
                user_agent=user_agent,
                via="sso",
            )
        else:
            user = _domain_join(system=system, email=email, full_name=full_name, ip=ip)
            person_joined.send(sender=User, user=user, ip=ip, user_agent=user_agent)
    except SeatsFull:
        raise JoinRefused(selectors.NO_SEAT) from None
    except InvitationUnusable:
        raise JoinRefused(selectors.NOT_INVITED) from None
    account = SocialAccount.objects.create(
        user=user, provider=SSO_PROVIDER_ID, uid=uid, extra_data=extra_data
    )
    return user, account


def _domain_join(*, system, email: str, full_name: str, ip: str | None) -> User:
    if not selectors.sso_settings().domain_join or not selectors.domain_is_verified(
        selectors.domain_of(email)
    ):
        raise JoinRefused(selectors.NOT_INVITED)
    # A seat promised to a pending invitation is not free.
    if seats_committed() >= system.seat_cap:
        raise JoinRefused(selectors.NO_SEAT)
    user = user_register(
        email=email, full_name=full_name, role=Role.MEMBER, password=None, system=system
    )
    audit_record(
        action=AuditEvent.Action.SSO_JOINED,
        actor=user,
        target=user.email,
        ip=ip,
        detail={"domain": selectors.domain_of(email), "role": Role.MEMBER},
    )
    return user


def sso_refusal_record(*, email: str, reason: str, ip: str | None) -> None:
    audit_record(
        action=AuditEvent.Action.SSO_REFUSED,
        actor_label_override=email or "unknown",
        target=email,
        ip=ip,
        detail={"reason": reason},
    )
