"""Service notices: incidents, maintenance and force majeure, told to the Systems they touch.

Public schema: the notice the operator writes and its updates over time. Each System's
schema: who was mailed which notice or update, and who dismissed its banner. Loaded by
``legal.models`` (Django finds an app's models there).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The terms (clause 9): written notice of a force-majeure event within 3 days of it.
FORCE_MAJEURE_NOTICE_DAYS = 3


class ServiceNotice(models.Model):
    """Something that happens to the service, for all Systems or chosen ones. A draft until
    published; then it shows in the affected Systems' banners and on the status page from
    ``starts_at`` until it ends, and its owners and admins are mailed."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        MAINTENANCE = "maintenance", _("Maintenance")
        FORCE_MAJEURE = "force_majeure", _("Force majeure")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"), help_text=_("Markdown. What happens, what it means for people, what to do.")
    )
    all_systems = models.BooleanField(
        _("all Systems"),
        default=True,
        help_text=_("Untick to choose the Systems it affects; the public page never names them."),
    )
    systems = models.ManyToManyField(
        "tenants.System", blank=True, related_name="+", verbose_name=_("affected Systems")
    )
    starts_at = models.DateTimeField(_("starts at"), default=timezone.now)
    expected_end = models.DateTimeField(_("expected end"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    event_at = models.DateTimeField(
        _("event happened at"),
        null=True,
        blank=True,
        help_text=_("Force majeure: when the event happened. Written notice is due 3 days later."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.CharField(max_length=200, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.CharField(max_length=200, blank=True, editable=False)
    # When mail to every affected System was queued (by the fan-out task, after commit).
    mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_by = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["ended_at", "-starts_at"], name="legal_notice_current_idx")]
        permissions = [
            ("publish_servicenotice", "Publish service notices, post their updates, end them")
        ]
        verbose_name = _("service notice")

    def __str__(self) -> str:
        return self.title

    @property
    def notice_due_at(self) -> datetime | None:
        """Force majeure only: the latest moment the written notice may go out."""
        if self.kind != self.Kind.FORCE_MAJEURE or self.event_at is None:
            return None
        return self.event_at + timedelta(days=FORCE_MAJEURE_NOTICE_DAYS)

    def is_active_at(self, now: datetime) -> bool:
        return (
            self.published_at is not None
            and self.starts_at <= now
            and (self.ended_at is None or self.ended_at > now)
        )


class ServiceNoticeUpdate(models.Model):
    """News about a published notice; each is mailed and brings a dismissed banner back."""

    notice = models.ForeignKey(ServiceNotice, on_delete=models.CASCADE, related_name="updates")
    body = models.TextField(_("update"), help_text=_("Markdown."))
    posted_at = models.DateTimeField(default=timezone.now)
    posted_by = models.CharField(max_length=200, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["posted_at", "id"]

    def __str__(self) -> str:
        return f"{self.notice} ({self.posted_at:%Y-%m-%d %H:%M})"


class ServiceNoticeDelivery(models.Model):
    """This person was mailed that notice (``update_id`` 0) or that update (System schema;
    once each, however often the task runs)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    notice_id = models.BigIntegerField()
    update_id = models.BigIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "notice_id", "update_id"], name="legal_notice_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"notice {self.notice_id}/{self.update_id} to {self.user_id}"


class ServiceNoticeDismissal(models.Model):
    """This person closed the banner of a notice as of its update ``update_id`` (0: none
    yet); a later update shows it again (System schema)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    notice_id = models.BigIntegerField()
    update_id = models.BigIntegerField(default=0)
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "notice_id"], name="legal_notice_dismiss_once")
        ]

    def __str__(self) -> str:
        return f"notice {self.notice_id} dismissed by {self.user_id}"
