"""The provider's client secret, sealed with Fernet under a key derived from SECRET_KEY (and
its fallbacks, so rotating SECRET_KEY the Django way keeps secrets readable), under a label
of its own. Unsealed only in memory, for allauth's token request: never shown, logged or
exported."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

_LABEL = b"servicedesk accounts.sso client secret v1"


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    keys = [
        base64.urlsafe_b64encode(hmac.new(secret.encode(), _LABEL, hashlib.sha256).digest())
        for secret in secrets
    ]
    return MultiFernet([Fernet(key) for key in keys])


def secret_seal(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def secret_unseal(sealed: str) -> str:
    """The secret, or "" when none is kept or it was sealed with a key we no longer hold
    (the provider then refuses the sign-in, and the admin enters the secret again)."""
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return ""
