"""Single-use, short-lived, signed login links into a System.

After a signup (on the public host) or when an owner opens another System, the person
must land logged in on a different host; cookies are host-only, so we hand over with a
link instead. The link is signed (with the System's schema in the salt, so it means
nothing elsewhere), expires in two minutes, and its nonce can be used once.
"""

from __future__ import annotations

import secrets

from django.core import signing
from django.db import transaction
from django.utils import timezone

from accounts.models import LoginHandoff, User
from servicedesk.schema import current_schema
from servicedesk.tokens import token_hash

MAX_AGE_SECONDS = 120


def _salt() -> str:
    return f"servicedesk.login-handoff.{current_schema()}"


def handoff_create(*, user: User) -> str:
    """Return the token for /welcome/<token>/ in the current System."""
    nonce = secrets.token_urlsafe(24)
    LoginHandoff.objects.create(user=user, nonce_hash=token_hash(nonce))
    return signing.dumps({"n": nonce}, salt=_salt(), compress=True)


@transaction.atomic
def handoff_consume(*, token: str) -> User | None:
    """The user the token logs in, once; None when forged, expired, used or elsewhere."""
    try:
        payload = signing.loads(token, salt=_salt(), max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    handoff = (
        LoginHandoff.objects.select_for_update()
        .select_related("user")
        .filter(nonce_hash=token_hash(str(payload.get("n", ""))), used_at__isnull=True)
        .first()
    )
    if handoff is None or not handoff.user.is_active:
        return None
    handoff.used_at = timezone.now()
    handoff.save(update_fields=["used_at"])
    return handoff.user
