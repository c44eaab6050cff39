"""The mail channel's rows, in each System's schema.

Foreign keys name their targets as strings ("tickets.Ticket"): tickets.models imports this
module (so Django's registry finds these models), never the other way round.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Contact(models.Model):
    """Someone who writes by mail without registering: an address and a name on tickets. No
    password, no login, never a seat. Invited and registered, he becomes ``person``."""

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The account he registered once invited."),
    )

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="tickets_contact_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email


class MailRecipient(models.Model):
    """What we know of one address we send to (a person's or a contact's): its bounces. Mail
    to an address stops after MAIL_BOUNCES_TO_STOP permanent bounces, until an admin
    resumes it."""

    address = models.EmailField(max_length=254)
    bounces = models.PositiveIntegerField(default=0)
    last_bounce_at = models.DateTimeField(null=True, blank=True)
    last_bounce_reason = models.TextField(blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["address"]
        constraints = [
            models.UniqueConstraint(Lower("address"), name="tickets_mailrecipient_ci_unique")
        ]

    def __str__(self) -> str:
        return self.address


class WhoMayWrite(models.TextChoices):
    PEOPLE = "people", _("People of this System only (mail from anyone else is held for review)")
    ANYONE = "anyone", _("Anyone (strangers become contacts)")


class ImapSecurity(models.TextChoices):
    SSL = "ssl", "SSL/TLS"
    STARTTLS = "starttls", "STARTTLS"
    NONE = "none", _("None (testing only)")


class MailSettings(models.Model):
    """One row per System: who may open tickets by mail, and the mailbox polled by IMAP."""

    who_may_write = models.CharField(
        max_length=10, choices=WhoMayWrite.choices, default=WhoMayWrite.PEOPLE
    )
    imap_enabled = models.BooleanField(default=False)
    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_security = models.CharField(
        max_length=10, choices=ImapSecurity.choices, default=ImapSecurity.SSL
    )
    imap_username = models.CharField(max_length=255, blank=True)
    # Encrypted with MAIL_CREDENTIALS_KEY (tickets.mail.secrets); never shown again.
    imap_password = models.TextField(blank=True)
    imap_folder = models.CharField(max_length=255, default="INBOX")
    # IMAP UIDs are only meaningful within one UIDVALIDITY of the folder.
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True)
    imap_last_uid = models.BigIntegerField(default=0)
    imap_checked_at = models.DateTimeField(null=True, blank=True)
    imap_error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = _("mail settings")

    def __str__(self) -> str:
        return "mail settings"


class ForwardingAddress(models.Model):
    """An address of the company's own (help@acme.com) that forwards to the System's
    support address. A confirmation mail sent to it and arriving back proves the
    forwarding works."""

    address = models.EmailField(max_length=254)
    token = models.CharField(max_length=40, unique=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["address"]
        constraints = [
            models.UniqueConstraint(Lower("address"), name="tickets_forwarding_ci_unique")
        ]

    def __str__(self) -> str:
        return self.address


def raw_mail_path(instance: InboundMessage, filename: str) -> str:
    now = timezone.now()
    return f"mail/inbound/{now:%Y/%m}/{uuid.uuid4().hex}.eml"


class InboundMessage(models.Model):
    """One message as it arrived, stored raw before anything reads it, and what became of
    it. A failure keeps it here (with the error) for an admin to retry or discard."""

    class Via(models.TextChoices):
        SMTP = "smtp", "SMTP"
        IMAP = "imap", "IMAP"
        WEBHOOK = "webhook", _("Provider webhook")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Waiting")
        TICKET = "ticket", _("New ticket")
        REPLY = "reply", _("Reply")
        HELD = "held", _("Held for review")
        IGNORED = "ignored", _("Ignored (automatic mail)")
        BOUNCE = "bounce", _("Bounce")
        VERIFICATION = "verification", _("Forwarding confirmed")
        DUPLICATE = "duplicate", _("Duplicate")
        FAILED = "failed", _("Failed")
        DISCARDED = "discarded", _("Discarded")

    via = models.CharField(max_length=10, choices=Via.choices)
    raw = models.FileField(upload_to=raw_mail_path, max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    # The Message-ID, or "sha:<sha256>" when it has none: one ticket per key.
    dedupe_key = models.CharField(max_length=1000)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="duplicates"
    )
    message_id = models.CharField(max_length=998, blank=True)
    envelope_from = models.CharField(max_length=254, blank=True)
    envelope_to = models.TextField(
        blank=True, help_text=_("Recipients at this System, one per line.")
    )
    from_address = models.CharField(max_length=254, blank=True)
    from_name = models.CharField(max_length=150, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    reason = models.TextField(blank=True, help_text=_("Why it was held, ignored or failed."))
    attempts = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply = models.ForeignKey(
        "tickets.Reply",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The admin who released, retried or discarded it."),
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(duplicate_of__isnull=True),
                name="tickets_inbound_one_per_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "-received_at", "-id"], name="tickets_inbound_status_idx"
            ),
            models.Index(fields=["message_id"], name="tickets_inbound_mid_idx"),
            models.Index(fields=["ticket"], name="tickets_inbound_ticket_idx"),
            # The per-sender rate limit counts a sender's last hour.
            models.Index(fields=["from_address", "-received_at"], name="tickets_inbound_from_idx"),
        ]

    def __str__(self) -> str:
        return self.subject or self.message_id or f"message {self.pk}"


class OutboundMessage(models.Model):
    """One mail we sent about a ticket: its Message-ID (so replies thread back), and whether
    it was delivered."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")
        BOUNCED = "bounced", _("Bounced")

    message_id = models.CharField(max_length=255, unique=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    reply = models.ForeignKey(
        "tickets.Reply", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to = models.EmailField(max_length=254)
    kind = models.CharField(max_length=60, help_text=_("The mail template."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=255, blank=True, help_text=_("The ESP's message id."))
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="tickets_outbound_ticket_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}"
