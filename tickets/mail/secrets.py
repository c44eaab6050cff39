"""Credentials the mail channel keeps (a mailbox's password), encrypted with Fernet.

The key is MAIL_CREDENTIALS_KEY: a Fernet key, or any string (hashed into one). Several keys,
comma-separated, rotate: the first encrypts, every one decrypts, so a new key goes first and
the old one stays until every password was saved again (each successful poll re-encrypts a
password the first key didn't write). Unset, the key is derived from SECRET_KEY (and its
fallbacks, so rotating SECRET_KEY the Django way keeps passwords readable) under a label of
its own: a leak of one derived key reveals nothing of another.

A decrypted password is handed to the IMAP client and nowhere else: never shown back, logged
or exported.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

_LABEL = b"servicedesk tickets.mail credentials v1"


class SecretUnreadable(Exception):
    """The stored secret was written with a key we no longer hold (or was tampered with)."""


def _as_key(text: str) -> bytes:
    """``text`` as a Fernet key: itself when it is one, else a key hashed from it."""
    try:
        if len(base64.urlsafe_b64decode(text.encode())) == 32:
            return text.encode()
    except (binascii.Error, ValueError):
        pass
    return base64.urlsafe_b64encode(hmac.new(_LABEL, text.encode(), hashlib.sha256).digest())


def _derived(secret_key: str) -> bytes:
    digest = hmac.new(secret_key.encode(), _LABEL, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)


def _keys() -> list[bytes]:
    configured = [part.strip() for part in settings.MAIL_CREDENTIALS_KEY.split(",")]
    if any(configured):
        return [_as_key(part) for part in configured if part]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_derived(secret) for secret in secrets]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def secret_seal(plain: str) -> str:
    """``plain`` encrypted with the current key, as text for a TextField."""
    return _fernet().encrypt(plain.encode()).decode()


def secret_open(sealed: str) -> str:
    """The plain text of ``sealed``; SecretUnreadable when no key we hold opens it."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, UnicodeError) as error:
        raise SecretUnreadable from error


def secret_is_current(sealed: str) -> bool:
    """Whether ``sealed`` was written with the first (current) key."""
    try:
        Fernet(_keys()[0]).decrypt(sealed.encode())
    except (InvalidToken, UnicodeError):
        return False
    return True
