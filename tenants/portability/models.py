"""Exports of a System's data and Systems imported from them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models.tenancy import Requester, System


class Export(Requester):
    """One archive of everything a System holds, built by a worker, downloadable until it
    expires. The archive is offered only once complete (``ready``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=80, blank=True, help_text=_("What it is writing now."))
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text=_("Under EXPORT_ROOT."))
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    counts = models.JSONField(default=dict, blank=True, help_text=_("Rows per file."))
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["system", "-created_at"], name="tenants_export_system_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="tenants_export_status_idx"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.system_id} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        if not self.progress_total:
            return 0
        return min(99, int(100 * self.progress_done / self.progress_total))


class SystemImport(models.Model):
    """A System made from an export archive (by the operator: command or admin)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    slug = models.CharField(max_length=63)
    archive_name = models.CharField(max_length=255)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    source_slug = models.CharField(max_length=63, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    reason = models.TextField(blank=True, help_text=_("Why it was refused."))
    counts = models.JSONField(default=dict, blank=True)
    by = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import of {self.archive_name} as {self.slug} ({self.status})"
