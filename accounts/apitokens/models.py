"""API tokens of a System (its schema). Only the SHA-256 of a token is kept; its first
characters (``prefix``) are kept too, so people recognise a token in the list."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class Scope(models.TextChoices):
    """Each scope includes the ones before it: write reads too, admin writes too."""

    READ = "read", _("Read")
    WRITE = "write", _("Read and write")
    ADMIN = "admin", _("Read, write and administer")


SCOPE_RANK = {Scope.READ: 0, Scope.WRITE: 1, Scope.ADMIN: 2}


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        # Made by an admin for the System's scripts; it acts as that admin, and stops
        # working when he is no longer an admin (accounts.api.auth checks at every call).
        SYSTEM = "system", _("System")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERSONAL)
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    # Who every call made with the token acts as.
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Written at most once a minute (accounts.apitokens.services.LAST_USED_RESOLUTION).
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["kind", "-created_at"],
                condition=Q(revoked_at__isnull=True),
                name="accounts_apitoken_live_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_live_at(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def is_live(self) -> bool:
        return self.is_live_at(timezone.now())

    def allows(self, scope: str) -> bool:
        return SCOPE_RANK[Scope(self.scope)] >= SCOPE_RANK[Scope(scope)]


class IdempotencyKey(models.Model):
    """The answer to a create sent with an ``Idempotency-Key``, replayed when the same
    token sends the same key and body again (kept IDEMPOTENCY_HOURS)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    # SHA-256 of method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="accounts_idempotency_once"),
        ]
        indexes = [models.Index(fields=["created_at"], name="accounts_idempotency_age_idx")]

    def __str__(self) -> str:
        return self.key
