"""Webhook endpoints of a System (its schema), each delivery of an event to one, and each
attempt at a delivery."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = ArrayField(models.CharField(max_length=40), default=list)
    # Standard Webhooks' form: "whsec_" and base64 of 32 random bytes. Kept as is (signing
    # needs it), shown once, never logged or exported.
    secret = models.CharField(max_length=100)
    # After a roll, the old secret signs too until then, so receivers can switch calmly.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint. ``event_id`` is the Webhook-Id header: the same on every
    attempt and on a resend, so a receiver can drop what it already has."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        # The last attempt failed; the next is at next_attempt_at (none: a test event).
        FAILED = "failed", _("Failed, will retry")
        SUCCEEDED = "succeeded", _("Delivered")
        GIVEN_UP = "given_up", _("Given up")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    event_id = models.UUIDField(default=uuid.uuid4)
    # The JSON sent, byte for byte on every attempt (what the signature covers).
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # of the last attempt
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the next attempt is due; a worker that claims one moves it a lease ahead.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    resent_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            # The log: an endpoint's deliveries, newest first.
            models.Index(fields=["endpoint", "-created_at", "-id"], name="tickets_whd_log"),
            # The retry scan: what is due and still to be delivered.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state__in=["pending", "failed"]),
                name="tickets_whd_due",
            ),
            models.Index(fields=["created_at"], name="tickets_whd_created"),  # the purge
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} → {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what came back, how fast, or what went wrong."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    response = models.TextField(blank=True)  # its first kilobyte

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="tickets_wha_number")
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}: {self.status_code or self.error}"
