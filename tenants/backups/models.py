"""Backups of a System, restores, customers' restore requests, and the operator's holidays
(restore deadlines are in working days)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models.tenancy import Requester, System


class Backup(models.Model):
    """One copy of a System: its schema (pg_dump, custom format) and its files, with a
    manifest of row counts and checksums. Outlives its System until retention removes it."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("Complete")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Removed by retention")

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        MANUAL = "manual", _("Manual")
        PRE_RESTORE = "pre_restore", _("Before a restore")

    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, blank=True, related_name="backups"
    )
    system_slug = models.CharField(max_length=63)
    schema_name = models.CharField(max_length=63)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SCHEDULED)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True, help_text=_("In the backup storage."))
    size = models.PositiveBigIntegerField(default=0)
    manifest = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verify_ok = models.BooleanField(null=True, blank=True)
    verify_detail = models.TextField(blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["system", "status", "-started_at"], name="tenants_backup_sys_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="tenants_backup_status_idx"),
        ]

    def __str__(self) -> str:
        return f"backup of {self.system_slug} at {self.started_at:%Y-%m-%d %H:%M}"


class Holiday(models.Model):
    """A day the operator's team doesn't work: restore deadlines skip it, like weekends."""

    day = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.name}"


class RestoreRequest(Requester):
    """A customer admin asks for a restore; the operator owes an answer within one working
    day (``due_at``)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the operator")
        IN_PROGRESS = "in_progress", _("Being restored")
        DONE = "done", _("Restored")
        REJECTED = "rejected", _("Declined")

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="restore_requests")
    backup = models.ForeignKey(
        Backup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    point_in_time = models.DateTimeField(
        null=True, blank=True, help_text=_("Restore to the last backup before this moment.")
    )
    reason = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    operator_note = models.TextField(blank=True, help_text=_("Shown to the customer."))
    handled_by = models.CharField(max_length=200, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="tenants_restorereq_due_idx")]

    def __str__(self) -> str:
        return f"restore request {self.pk} of {self.system_id} due {self.due_at:%Y-%m-%d %H:%M}"


class Restore(models.Model):
    """The operator brings a System back to a backup: restored into a new schema, then
    swapped in; the previous schema is kept until he confirms (or swaps back)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Restoring")
        SWAPPED = "swapped", _("Live; previous data kept")
        CONFIRMED = "confirmed", _("Confirmed; previous data removed")
        ROLLED_BACK = "rolled_back", _("Swapped back")
        FAILED = "failed", _("Failed")

    # Kept when the System is deleted, so the schemas a restore left are found and dropped.
    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, blank=True, related_name="restores"
    )
    backup = models.ForeignKey(Backup, on_delete=models.PROTECT, related_name="restores")
    request = models.ForeignKey(
        RestoreRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="restores"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    previous_schema = models.CharField(max_length=63, blank=True)
    restored_schema = models.CharField(max_length=63, blank=True)
    operator = models.CharField(max_length=200)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    swapped_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"restore of {self.system_id} to backup {self.backup_id} ({self.status})"
