"""Terms of service versions (public schema) and who accepted which (each System)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class TermsVersion(models.Model):
    """One published text of the terms. The current version is the latest in effect."""

    version = models.CharField(max_length=20, unique=True)
    effective_at = models.DateTimeField(db_index=True)
    summary = models.TextField(help_text="What changed, in a few sentences people will read.")
    body = models.TextField(help_text="Markdown.")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_at"]
        get_latest_by = "effective_at"

    def __str__(self) -> str:
        return f"Terms {self.version}"

    @property
    def in_effect(self) -> bool:
        return self.effective_at <= timezone.now()


class TermsAcceptance(models.Model):
    """A person accepted a version of the terms: when, from where, with what browser.

    The version is recorded by number and id, not as a foreign key: the version lives in
    the public schema and the record must survive export and import on its own.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    terms_version_id = models.BigIntegerField()
    version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "terms_version_id"], name="legal_acceptance_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.version}"
