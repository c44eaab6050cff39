"""The promises of the terms, kept in code.

Public schema (operator records): versions of the terms and privacy texts, operator access
grants and what they opened, consent changes, announcements, analytics providers, content
reports and takedowns. Each System's schema: acceptances, notices sent, announcement
deliveries. See settings.PUBLIC_ONLY_MODELS.
"""

from __future__ import annotations

import re
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Service notices live in their own module; Django loads an app's models from here.
from legal.notice_models import ServiceNotice as ServiceNotice
from legal.notice_models import ServiceNoticeDelivery as ServiceNoticeDelivery
from legal.notice_models import ServiceNoticeDismissal as ServiceNoticeDismissal
from legal.notice_models import ServiceNoticeUpdate as ServiceNoticeUpdate


class TermsVersion(models.Model):
    """One published text of the terms (or of the privacy policy). The current version of a
    document is the latest in effect; a version is immutable once in effect."""

    class Document(models.TextChoices):
        TERMS = "terms", _("Terms of service")
        PRIVACY = "privacy", _("Privacy policy")

    document = models.CharField(max_length=10, choices=Document.choices, default=Document.TERMS)
    version = models.CharField(max_length=20)
    effective_at = models.DateTimeField(db_index=True)
    summary = models.TextField(help_text=_("What changed, in a few sentences people will read."))
    body = models.TextField(help_text=_("Markdown."))
    published_at = models.DateTimeField(default=timezone.now)
    # When the beat job started telling every user (terms only); None until then.
    announced_at = models.DateTimeField(null=True, blank=True)
    # Published with less than TERMS_MIN_NOTICE_DAYS' notice: why (shown to everyone).
    short_notice_reason = models.TextField(
        "reason for the shorter notice",
        blank=True,
        help_text=_("Needed when it takes effect sooner than the minimum notice; people read it."),
    )
    # When every System was queued the "published, takes effect on …" mail; None until then.
    publication_announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-effective_at"]
        get_latest_by = "effective_at"
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="legal_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()} {self.version}"

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


class TermsNotice(models.Model):
    """ "Version X takes effect" was emailed to this person (once, however often the job runs)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    terms_version_id = models.BigIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "terms_version_id"], name="legal_notice_once")
        ]

    def __str__(self) -> str:
        return f"notice of {self.terms_version_id} to {self.user_id}"


class TermsPublicationNotice(models.Model):
    """ "Version X is published and takes effect on D" was emailed to this person (once,
    however often the announcement runs)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    terms_version_id = models.BigIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "terms_version_id"], name="legal_publication_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"publication of {self.terms_version_id} to {self.user_id}"


# --- operator access (public) --------------------------------------------------------------


class OperatorAccess(models.Model):
    """A time-limited grant for one operator to look into one System, with the reason.

    Nothing of a System's data is visible in admin without one; the System's owner and
    admins see every grant, what it opened, and when it ended.
    """

    class Reason(models.TextChoices):
        TECHNICAL_FIX = "technical_fix", _("Technical fix")
        CUSTOMER_REQUEST = "customer_request", _("Customer request")
        LEGAL_ORDER = "legal_order", _("Legal order")

    system = models.ForeignKey("tenants.System", on_delete=models.CASCADE, related_name="+")
    operator_email = models.EmailField()
    operator_id = models.BigIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_cause = models.CharField(max_length=20, blank=True, help_text=_("ended or expired"))

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["system", "-granted_at"], name="legal_access_system_idx")]
        verbose_name_plural = "operator access"

    def __str__(self) -> str:
        return f"{self.operator_email} → {self.system} ({self.get_reason_display()})"

    def is_open_at(self, now) -> bool:
        return self.ended_at is None and self.expires_at > now


class OperatorAccessView(models.Model):
    """One thing an operator opened under a grant."""

    access = models.ForeignKey(OperatorAccess, on_delete=models.CASCADE, related_name="views")
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.what


# --- consents and announcements -----------------------------------------------------------


class ConsentChange(models.Model):
    """Who changed which consent of a System, and when (public: the operator acts on them)."""

    class Kind(models.TextChoices):
        REFERENCE = "reference", _("Show the company as a reference customer")
        ANNOUNCEMENTS = "announcements", _("Receive feature announcements")

    system = models.ForeignKey("tenants.System", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.BooleanField()
    changed_by = models.CharField(max_length=200)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.system}: {self.kind} = {self.value}"


class Announcement(models.Model):
    """A feature announcement the operator writes; sent only to those who may receive it."""

    subject = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Plain text."))
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("send_announcement", "Send an announcement to the Systems that agreed")]

    def __str__(self) -> str:
        return self.subject


class AnnouncementDelivery(models.Model):
    """This person got that announcement (System schema; once per person)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    announcement_id = models.BigIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "announcement_id"], name="legal_announcement_once"
            )
        ]

    def __str__(self) -> str:
        return f"announcement {self.announcement_id} to {self.user_id}"


# --- analytics ------------------------------------------------------------------------------


# A provider's id goes into a script: letters, digits, - and _ only.
ANALYTICS_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{3,100}$")


def validate_analytics_key(value: str) -> None:
    if not ANALYTICS_KEY_RE.match(value):
        raise ValidationError(
            _("Use the id exactly as the provider gives it (letters, digits, - and _).")
        )


class AnalyticsProvider(models.Model):
    """A third-party analytics service the operator chose to use. None means none at all."""

    class Kind(models.TextChoices):
        GOOGLE_ANALYTICS = "google_analytics", "Google Analytics"
        SEGMENT = "segment", "Segment"
        CLARITY = "clarity", "Microsoft Clarity"
        FRESHWORKS = "freshworks", "Freshworks"

    class Pages(models.TextChoices):
        PUBLIC = "public", _("Public site only")
        SYSTEMS = "systems", _("Inside Systems only")
        ALL = "all", _("Public site and Systems")

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    key = models.CharField(
        max_length=100,
        help_text=_("Measurement id, write key, project id or widget id."),
        validators=[validate_analytics_key],
    )
    pages = models.CharField(max_length=10, choices=Pages.choices, default=Pages.PUBLIC)
    receives = models.TextField(
        help_text=_("What it receives, in plain words; shown on the privacy page.")
    )
    enabled = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.get_kind_display()


# --- prohibited content ---------------------------------------------------------------------


class ContentKind(models.TextChoices):
    TICKET = "ticket", _("Ticket")
    REPLY = "reply", _("Reply")
    ATTACHMENT = "attachment", _("File")


class ContentReport(models.Model):
    """Someone in a System reported a ticket, reply or file as prohibited content."""

    class Category(models.TextChoices):
        HARM = "harm", _("Harms or threatens people or property")
        DECEPTIVE = "deceptive", _("Deceptive, harassing or obscene")
        POLITICAL = "political", _("Political propaganda or sabotage")
        PRIVACY = "privacy", _("Invades privacy or discriminates")
        INFRINGEMENT = "infringement", _("Infringes intellectual property")
        ATTACK = "attack", _("Attacks or abuses the service")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTED = "acted", _("Content disabled")
        DISMISSED = "dismissed", _("Dismissed")

    system = models.ForeignKey("tenants.System", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ContentKind.choices)
    object_id = models.BigIntegerField()
    ticket_number = models.PositiveIntegerField()
    reporter_email = models.EmailField()
    category = models.CharField(max_length=20, choices=Category.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="legal_report_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.ticket_number} in {self.system}"


class TakedownNotice(models.Model):
    """A notice from outside the System (an authority, a rights holder, anyone else) that
    names one ticket, reply or file; the operator records it with its document and may
    take the content down from it. The document lives outside every served path, under
    LEGAL_DOCUMENT_ROOT, named by this row's id (legal.services.notices)."""

    class SenderKind(models.TextChoices):
        AUTHORITY = "authority", _("An authority")
        RIGHTS_HOLDER = "rights_holder", _("A rights holder")
        OTHER = "other", _("Someone else")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACTED = "acted", _("Content taken down")
        COUNTERED = "countered", _("Counter-notice received")
        RESTORED = "restored", _("Content restored")
        DISMISSED = "dismissed", _("Dismissed: the content stays")

    sender_kind = models.CharField(max_length=20, choices=SenderKind.choices)
    sender_name = models.CharField(max_length=200)
    sender_contact = models.TextField(help_text=_("Email or postal address."))
    sender_private = models.BooleanField(
        "keep the sender's details private",
        default=True,
        help_text=_(
            "The System's admins then read only “an authority” or “a rights holder” and the "
            "reference, never the name or the contact."
        ),
    )
    reference = models.CharField("their reference", max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(
        "operator's notes", blank=True, help_text=_("Never shown to the System.")
    )
    # The System may be deleted later; the notice stays the operator's record.
    system = models.ForeignKey(
        "tenants.System", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    system_slug = models.CharField(max_length=63)
    kind = models.CharField(max_length=12, choices=ContentKind.choices)
    object_id = models.BigIntegerField()
    ticket_number = models.PositiveIntegerField()
    # The stored document's name (legal.services.notices.document_path): random, so a file
    # left by a rolled-back transaction, or by another database sharing the directory, is
    # never taken for this notice's.
    document_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document_name = models.CharField(
        max_length=255, help_text=_("As uploaded; shown to operators.")
    )
    document_type = models.CharField(max_length=100, help_text=_("Found from the content."))
    document_size = models.PositiveBigIntegerField()
    document_sha256 = models.CharField(max_length=64)
    recorded_by = models.EmailField()
    recorded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "-received_at"], name="legal_notice_status_idx")]

    def __str__(self) -> str:
        reference = f" {self.reference}" if self.reference else ""
        return f"{self.get_sender_kind_display()}{reference} ({self.system_slug})"

    @property
    def sender_for_system(self) -> str:
        """Who sent it, as the System's admins may read it."""
        kind = self.get_sender_kind_display()
        if self.sender_private:
            return kind.lower()
        return f"{self.sender_name} ({kind.lower()}), {' '.join(self.sender_contact.split())}"


class Takedown(models.Model):
    """The operator disabled a piece of content: hidden, never deleted; may be restored."""

    system = models.ForeignKey("tenants.System", on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        ContentReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="takedowns"
    )
    notice = models.ForeignKey(
        TakedownNotice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="takedowns",
    )
    kind = models.CharField(max_length=12, choices=ContentKind.choices)
    object_id = models.BigIntegerField()
    ticket_number = models.PositiveIntegerField()
    reason = models.TextField(help_text=_("Shown in place of the content."))
    operator_email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    appeal = models.TextField(blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)
    appealed_by = models.CharField(max_length=200, blank=True)
    restored_at = models.DateTimeField(null=True, blank=True)
    restored_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["system", "-created_at"], name="legal_takedown_system_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id} on #{self.ticket_number}"
