"""Writes of API tokens: create (the secret is returned once, never stored), revoke, and
the last-used stamp."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.apitokens.models import ApiToken, Scope
from accounts.models import AuditEvent, User
from accounts.permissions import Perm, can, require
from accounts.services.audit import actor_label, audit_record
from servicedesk.tokens import token_hash

# Every token starts with this, so secret scanners (and people) recognise one.
SECRET_PREFIX = "sdt_"  # noqa: S105 - a marker, not a secret
# What the list shows of a token: "sdt_" and the first 8 characters of its secret.
SHOWN_CHARS = 12
# The last-used time is written at most this often (not on every call).
LAST_USED_RESOLUTION = timedelta(seconds=60)
# Live tokens one person may hold of each kind (a script per integration, not thousands).
MAX_LIVE_TOKENS = 50


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, to the person who made it; only its hash is kept


def scopes_for(user: User) -> list[Scope]:
    """The scopes ``user`` may give a token: a token never exceeds its person's role."""
    scopes = [Scope.READ, Scope.WRITE]
    if can(user, Perm.MANAGE_API_TOKENS):
        scopes.append(Scope.ADMIN)
    return scopes


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    name: str,
    scope: str,
    kind: str = ApiToken.Kind.PERSONAL,
    expires_at: datetime | None = None,
    ip: str | None = None,
) -> IssuedToken:
    if kind == ApiToken.Kind.SYSTEM:
        require(actor, Perm.MANAGE_API_TOKENS)
    elif not actor.is_active or actor.is_suspended:
        raise PermissionDenied("inactive")
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the script using it.")})
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationError({"name": _("At most %(count)d characters.") % {"count": 80}})
    if scope not in scopes_for(actor):
        raise ValidationError({"scope": _("Your role can't give a token that scope.")})
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("Choose a time in the future.")})
    live = ApiToken.objects.filter(kind=kind, revoked_at__isnull=True)
    if kind == ApiToken.Kind.PERSONAL:
        live = live.filter(user=actor)
    if live.count() >= MAX_LIVE_TOKENS:
        raise ValidationError(
            _("There are already %(count)d tokens; revoke one you no longer use first.")
            % {"count": MAX_LIVE_TOKENS}
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        kind=kind,
        name=name,
        prefix=secret[:SHOWN_CHARS],
        token_hash=token_hash(secret),
        user=actor,
        scope=scope,
        created_at=now,
        expires_at=expires_at,
    )
    audit_record(
        action=AuditEvent.Action.API_TOKEN_CREATED,
        actor=actor,
        target=f"{token.name} ({token.prefix}…)",
        ip=ip,
        detail={
            "kind": kind,
            "scope": scope,
            "id": token.pk,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken, ip: str | None = None) -> ApiToken:
    """Stop ``token`` working from its next call. Personal tokens are their person's to
    revoke; System tokens any admin's."""
    if token.kind == ApiToken.Kind.SYSTEM:
        require(actor, Perm.MANAGE_API_TOKENS)
    elif token.user_id != actor.pk:
        raise PermissionDenied("not yours")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by_label = actor_label(actor)
    token.save(update_fields=["revoked_at", "revoked_by_label"])
    audit_record(
        action=AuditEvent.Action.API_TOKEN_REVOKED,
        actor=actor,
        target=f"{token.name} ({token.prefix}…)",
        ip=ip,
        detail={"kind": token.kind, "id": token.pk},
    )
    return token


def api_token_touch(*, token: ApiToken, now: datetime) -> None:
    """Record a use, at most once per LAST_USED_RESOLUTION (one UPDATE, no lock)."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
