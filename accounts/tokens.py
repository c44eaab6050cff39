"""Password-reset tokens that mean something in one System only."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.tokens import PasswordResetTokenGenerator

from servicedesk.schema import current_schema


class SystemPasswordResetTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token over the System's schema and the account's addresses.

    Django's own depends only on the account's id, password hash, last login and email: an
    owner who opens a second System starts there with the same id, email and password hash,
    so a link made in one would reset the other. Like allauth's default (which this module
    can't subclass: allauth imports it while its forms module loads), a change of address
    also ends the link.
    """

    def _make_hash_value(self, user, timestamp) -> str:
        emails = {
            user.email,
            *EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True),
        }
        base = super()._make_hash_value(user, timestamp)
        return f"{current_schema()}|{base}|{'|'.join(sorted(e for e in emails if e))}"
