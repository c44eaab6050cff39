"""Signups waiting for their owner to confirm the address."""

from django.db import models

from tenants.models.tenancy import System
from tenants.validators import validate_subdomain


class Signup(models.Model):
    """A signup waiting for its owner to confirm the email address.

    Nothing is created until the link in the email is followed; a pending signup holds its
    subdomain until it expires, after which it keeps nothing.
    """

    company_name = models.CharField(max_length=200)
    slug = models.CharField(max_length=63, validators=[validate_subdomain])
    full_name = models.CharField(max_length=150)
    email = models.EmailField()
    password_hash = models.CharField(max_length=256)
    terms_version_id = models.BigIntegerField()
    terms_version = models.CharField(max_length=20)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    # The new System's defaults: the signup page's language, the browser's zone (checked).
    language = models.CharField(max_length=8, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["slug", "expires_at"], name="tenants_signup_slug_idx")]

    def __str__(self) -> str:
        return f"{self.slug} ({self.email})"
