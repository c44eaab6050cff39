"""Stored mail credentials are encrypted, readable with the keys the operator holds (old ones
too, while he rotates), and never exported."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from tenants.portability.services.contents import columns
from tickets.mail.models import MailSettings
from tickets.mail.secrets import SecretUnreadable, secret_is_current, secret_open, secret_seal


def test_a_sealed_password_opens_to_itself_and_shows_nothing_of_it():
    sealed = secret_seal("hunter2-päss")
    assert "hunter2" not in sealed
    assert sealed != secret_seal("hunter2-päss")  # a fresh IV each time
    assert secret_open(sealed) == "hunter2-päss"


# A fixed Fernet key: a generated one would differ between xdist workers' collections.
FERNET_KEY = "q3mJ0tH4n1c8oUo0K3Yv7yS1m5cW2x9bZpL6dR4eT8g="


@pytest.mark.parametrize("key", [FERNET_KEY, "any phrase will do"])
def test_the_configured_key_is_a_fernet_key_or_any_string(key):
    with override_settings(MAIL_CREDENTIALS_KEY=key):
        sealed = secret_seal("s3cret")
        assert secret_open(sealed) == "s3cret"
    # The key derived from SECRET_KEY is another one.
    with pytest.raises(SecretUnreadable):
        secret_open(sealed)


def test_a_new_key_first_still_opens_what_the_old_one_sealed():
    old, new = Fernet.generate_key().decode(), "the new key"
    with override_settings(MAIL_CREDENTIALS_KEY=old):
        sealed = secret_seal("s3cret")
    with override_settings(MAIL_CREDENTIALS_KEY=f"{new}, {old}"):
        assert secret_open(sealed) == "s3cret"
        assert not secret_is_current(sealed)
        assert secret_is_current(secret_seal("s3cret"))
    with override_settings(MAIL_CREDENTIALS_KEY=new), pytest.raises(SecretUnreadable):
        secret_open(sealed)


def test_the_derived_key_follows_secret_key_fallbacks():
    with override_settings(SECRET_KEY="old-secret-key-" * 4, MAIL_CREDENTIALS_KEY=""):
        sealed = secret_seal("s3cret")
    with override_settings(
        SECRET_KEY="new-secret-key-" * 4,
        SECRET_KEY_FALLBACKS=["old-secret-key-" * 4],
        MAIL_CREDENTIALS_KEY="",
    ):
        assert secret_open(sealed) == "s3cret"
    no_fallback = override_settings(SECRET_KEY="new-secret-key-" * 4, SECRET_KEY_FALLBACKS=[])
    with no_fallback, pytest.raises(SecretUnreadable):
        secret_open(sealed)


def test_a_tampered_secret_is_unreadable():
    sealed = secret_seal("s3cret")
    with pytest.raises(SecretUnreadable):
        secret_open(sealed[:-4] + "AAAA")


def test_an_export_never_holds_the_mailbox_password():
    exported = columns(MailSettings)
    assert "imap_password" not in exported
    assert "imap_host" in exported
