"""Reads of API tokens: the lists of the two pages, one token for its page's actions, and
the token a call presents."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.apitokens.models import ApiToken
from accounts.models import User
from accounts.permissions import Perm, can
from servicedesk.tokens import token_hash


def personal_tokens(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(kind=ApiToken.Kind.PERSONAL, user=user).order_by(
        "revoked_at", "-created_at", "-id"
    )


def system_tokens() -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(kind=ApiToken.Kind.SYSTEM)
        .select_related("user")
        .order_by("revoked_at", "-created_at", "-id")
    )


def api_token_get_for_user(*, user: User, token_id: int) -> ApiToken:
    """A token ``user`` may see and revoke: his own personal ones; System ones for those who
    manage them. Anything else is 404."""
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token.")
    if token.kind == ApiToken.Kind.SYSTEM and can(user, Perm.MANAGE_API_TOKENS):
        return token
    if token.kind == ApiToken.Kind.PERSONAL and token.user_id == user.pk:
        return token
    raise Http404("No such token.")


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The live token whose secret this is, with its person (one query), or None."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.is_live_at(timezone.now()):
        return None
    return token
