"""Single sign-on settings and verified email domains of a System (its own schema).

The provider itself is allauth's SocialApp row (provider ``openid_connect``, id
``SSO_PROVIDER_ID``); what allauth has no place for lives here: the client secret, sealed,
and the admins' policy.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The one provider a System may connect; part of the redirect URI admins register.
SSO_PROVIDER_ID = "sso"
SSO_PROVIDER = "openid_connect"


class SingleSignOn(models.Model):
    """The System's single sign-on policy (one row, made on the first save)."""

    # Fernet-sealed (accounts.sso.secrets); never shown back, only replaced.
    client_secret_sealed = models.TextField(blank=True)
    # When False, only the owner may still sign in with a password (the way back in when the
    # provider fails). Only in force while a provider is connected.
    password_login_allowed = models.BooleanField(default=True)
    # Someone whose provider says his address is verified is matched to the person here with
    # that address on his first sign-in with the provider.
    match_by_email = models.BooleanField(default=False)
    # Someone of a verified domain may join without an invitation, while a seat is free.
    domain_join = models.BooleanField(default=False)
    connected_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "single sign-on"


class VerifiedDomain(models.Model):
    """An email domain the System proves it holds by a TXT record at
    ``_servicedesk.<domain>`` reading ``servicedesk-verify=<token>``."""

    domain = models.CharField(max_length=253)
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    added_by_label = models.CharField(max_length=200, help_text=_("Who, as shown at the time."))
    verified_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # Why the last check failed, as the person reads it ("" when it passed).
    check_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="accounts_sso_domain_unique"),
        ]

    def __str__(self) -> str:
        return self.domain

    @property
    def record_name(self) -> str:
        return f"_servicedesk.{self.domain}"

    @property
    def record_value(self) -> str:
        return f"servicedesk-verify={self.token}"
