"""Random tokens that are stored only as their SHA-256, and signed ones bound to a System."""

import hashlib
import secrets
from datetime import timedelta

from django.core import signing


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _salt(purpose: str, system_id: int) -> str:
    return f"{purpose}:{system_id}"


def system_sign(payload: dict, *, purpose: str, system_id: int) -> str:
    """A link's token for one System: the salt holds its id, so it is worthless at any
    other, and the purpose, so a token of one kind never passes for another."""
    return signing.dumps(payload, salt=_salt(purpose, system_id), compress=True)


def system_unsign(
    token: str, *, purpose: str, system_id: int, max_age: timedelta | None = None
) -> dict | None:
    """The payload of one of ``system_id``'s tokens for ``purpose``, or None for anything
    else. An own token older than ``max_age`` raises ``signing.SignatureExpired``."""
    try:
        payload = signing.loads(token, salt=_salt(purpose, system_id), max_age=max_age)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    return payload if isinstance(payload, dict) else None
