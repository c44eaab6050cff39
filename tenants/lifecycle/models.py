"""A System's life: its status changes, the notices sent about them, and what the
operator keeps of a deleted System."""

from django.db import models
from django.utils import timezone

from tenants.models.tenancy import Customer, System


class LifecycleEvent(models.Model):
    """A System changed status: from, to, why, who. Kept after the System is deleted."""

    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, related_name="lifecycle_events"
    )
    system_slug = models.CharField(max_length=63)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    reason = models.TextField()
    actor = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.system_slug}: {self.from_status} → {self.to_status}"


class LifecycleNotice(models.Model):
    """A reminder that went out (trial ending in 7 days, invoice overdue…), once."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=60, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "kind", "key"], name="tenants_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.system_id} {self.kind} {self.key}"


class SystemDeletion(models.Model):
    """What the operator keeps of a deleted System (besides its invoices)."""

    slug = models.CharField(max_length=63)
    name = models.CharField(max_length=200)
    schema_name = models.CharField(max_length=63)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="deletions")
    reason = models.TextField()
    requested_by = models.CharField(max_length=200)
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"{self.slug} deleted {self.deleted_at:%Y-%m-%d}"
