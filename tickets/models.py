"""The help desk itself: tickets, their conversation, history and files (System schema)."""

from __future__ import annotations

import uuid
from typing import Self

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}
_STATUS_LABELS = dict(Status.choices)
_PRIORITY_LABELS = dict(Priority.choices)


class Category(models.Model):
    """Admins keep the list; archived ones stay on old tickets but can't be chosen."""

    name = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tickets_category_name_ci_unique")
        ]
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


LIVE = models.Q(deleted_at__isnull=True)  # not in the trash


class TrashQuerySet(models.QuerySet):
    """Tickets and files: "live" (not in the trash) is spelled here once, for every list,
    page, search, count and the operator's view."""

    def live(self) -> Self:
        return self.filter(LIVE)

    def trashed(self) -> Self:
        return self.exclude(LIVE)


class AttachmentQuerySet(TrashQuerySet):
    def live(self) -> Self:
        """Neither in the trash nor deleted from the conversation (no bytes left)."""
        return self.filter(LIVE, erased_at__isnull=True)

    def shown(self) -> Self:
        """What a conversation lists: live files, and the "deleted by" line of erased ones."""
        return self.filter(LIVE)

    def of_live_tickets(self) -> Self:
        """Files whose ticket is not in the trash (a trashed ticket takes its files along)."""
        return self.filter(ticket__deleted_at__isnull=True)


# Forms, services (mail included) and the column itself read this one number.
MAX_SUBJECT_CHARS = 200


class Ticket(models.Model):
    number = models.PositiveIntegerField(unique=True, help_text=_("Sequential within the System."))
    subject = models.CharField(max_length=MAX_SUBJECT_CHARS)
    description = models.TextField(help_text=_("Markdown."))
    # The sanitised HTML of the description, made when it is written (pages don't re-render).
    description_html = models.TextField(blank=True, editable=False)
    requester = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="tickets_requested"
    )
    # A ticket opened by mail from someone who is not a person of the System: requester is
    # then empty and this is who gets the replies by mail.
    contact = models.ForeignKey(
        "tickets.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets_assigned"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    # Sorting by priority needs an order the database can index: low=0 … urgent=3.
    priority_rank = models.PositiveSmallIntegerField(default=1)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    followers = models.ManyToManyField(User, blank=True, related_name="tickets_followed")
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    solved_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    reply_count = models.PositiveIntegerField(default=0)
    # Disabled by the operator (prohibited content): hidden, never deleted.
    removed_reason = models.TextField(blank=True)
    # What members may find: subject (A), description (B), public replies (C).
    search_vector = SearchVectorField(null=True, editable=False)
    # Internal notes, searchable by agents only.
    note_vector = SearchVectorField(null=True, editable=False)
    # In the trash (tickets.services.trash): hidden everywhere but the Trash page, purged
    # with its files TRASH_DAYS later.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The description edited after posting (tickets.services.messages); earlier texts are
    # MessageVersion rows.
    description_edited_at = models.DateTimeField(null=True, blank=True)
    description_edited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The deadline of its nearest SLA target neither met nor paused (tickets.sla keeps it):
    # lists sort and filter by it. Empty when there is none.
    sla_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Values of the custom fields (tickets.fields), typed, by the field's key: numbers as
    # numbers, dates ISO, multi-select as a list, a ticked checkbox as true; empty ones absent.
    custom = models.JSONField(default=dict, blank=True)

    objects = TrashQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # Lists read only tickets outside the trash: partial indexes let them be
            # index-only scans (deep pages would otherwise visit the table for each row).
            *(
                models.Index(fields=fields, name=name, condition=LIVE)
                for fields, name in [
                    (["-updated_at", "-id"], "tickets_updated_idx"),
                    (["-created_at", "-id"], "tickets_created_idx"),
                    (["status", "-updated_at", "-id"], "tickets_status_idx"),
                    (["status", "assignee"], "tickets_status_assignee_idx"),
                    # Saved views' counts: "urgent and active", "this category, open".
                    (["status", "priority_rank"], "tickets_status_priority_idx"),
                    (["status", "category"], "tickets_status_category_idx"),
                    (["assignee", "-updated_at", "-id"], "tickets_assignee_idx"),
                    (["requester", "-updated_at", "-id"], "tickets_requester_idx"),
                    (["-priority_rank", "-updated_at", "-id"], "tickets_priority_idx"),
                    (["category", "-updated_at", "-id"], "tickets_category_idx"),
                    (["due_on", "id"], "tickets_due_idx"),
                    (["sla_due_at", "id"], "tickets_sla_due_idx"),
                ]
            ),
            GinIndex(fields=["search_vector"], name="tickets_search_idx"),
            GinIndex(fields=["note_vector"], name="tickets_note_search_idx"),
            # Custom-field filters are "custom @> {...}" on live tickets.
            GinIndex(
                fields=["custom"],
                name="tickets_custom_idx",
                opclasses=["jsonb_path_ops"],
                condition=LIVE,
            ),
            models.Index(
                fields=["-deleted_at", "-id"],
                name="tickets_trashed_idx",
                condition=models.Q(deleted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"

    @property
    def shown_subject(self) -> str:
        """The subject as pages show it: hidden once the operator removed the ticket."""
        return gettext("Removed content") if self.removed_reason else self.subject

    @property
    def is_closed(self) -> bool:
        return self.status in {Status.SOLVED, Status.CLOSED}

    # Plain dict lookups: get_FOO_display() walks the choices on every call (lists show many).
    @property
    def status_label(self) -> str:
        return str(_STATUS_LABELS.get(self.status, self.status))

    @property
    def priority_label(self) -> str:
        return str(_PRIORITY_LABELS.get(self.priority, self.priority))


class Reply(models.Model):
    """One message in a ticket's conversation: a public reply or an internal note."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    # Written by mail by a contact (author is then empty).
    author_contact = models.ForeignKey(
        "tickets.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via_mail = models.BooleanField(default=False, help_text=_("Arrived as an email."))
    body = models.TextField(help_text=_("Markdown."))
    body_html = models.TextField(blank=True, editable=False)
    is_internal = models.BooleanField(default=False, help_text=_("A note only staff can see."))
    created_at = models.DateTimeField(default=timezone.now)
    removed_reason = models.TextField(blank=True)
    # Edited after posting (tickets.services.messages); earlier texts are MessageVersion rows.
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Deleted by its author or an admin: the text, files and earlier versions are gone, the
    # row stays as the "Deleted by … on …" line at its place in the conversation.
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="tickets_reply_idx")]
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{'Note' if self.is_internal else 'Reply'} on #{self.ticket_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names on disk; the original name lives in the row (and in exports).
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")
        FILE = "file", _("File")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    thumbnail = models.FileField(upload_to="thumbnails/%Y/%m", null=True, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text=_("Found from the content."))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FILE)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    removed_reason = models.TextField(blank=True)
    # In the trash: hidden from the ticket, purged with its bytes TRASH_DAYS later.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Deleted from the conversation by its uploader or an admin (not the trash): the bytes,
    # name and type are gone, the row stays as the "Deleted by … on …" line.
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["-deleted_at", "-id"],
                name="tickets_attachment_trashed_idx",
                condition=models.Q(deleted_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class TicketEvent(models.Model):
    """History: every change of every field, who made it and when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        MERGED = "merged", _("Merged")
        ATTACHED = "attached", _("File attached")
        EDITED = "edited", _("Message edited")
        DELETED = "deleted", _("Message or file deleted")
        MACRO = "macro", _("Macro applied")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHANGED)
    field = models.CharField(max_length=30, blank=True)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="tickets_event_idx")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.field}: {self.old_value} → {self.new_value}"


class MessageVersion(models.Model):
    """An earlier text of the description (no reply) or of a reply or note, kept when it was
    edited. Staff read them; members never do. Deleting the reply deletes them."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="versions"
    )
    body = models.TextField(help_text=_("Markdown, as it read before the edit."))
    written_at = models.DateTimeField(help_text=_("When this text was posted or last edited."))
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["replaced_at", "id"]
        indexes = [models.Index(fields=["ticket", "reply"], name="tickets_version_idx")]

    def __str__(self) -> str:
        return f"earlier text on #{self.ticket_id}"


class NotificationPreference(models.Model):
    """Which ticket emails a person wants; no row means all of them."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="ticket_mail")
    new_tickets = models.BooleanField(_("New tickets (agents)"), default=True)
    replies = models.BooleanField(_("Replies on my tickets and those I follow"), default=True)
    assignments = models.BooleanField(_("Tickets assigned to me"), default=True)
    mentions = models.BooleanField(_("Internal notes that mention me (agents)"), default=True)
    satisfaction = models.BooleanField(_("Questions on how my solved tickets went"), default=True)

    def __str__(self) -> str:
        return f"mail preferences of {self.user_id}"


class StatusCount(models.Model):
    """How many tickets have each status, kept by a database trigger on tickets_ticket,
    so the unfiltered list shows its counts without counting 100,000 rows."""

    status = models.CharField(max_length=10, primary_key=True)
    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.status}: {self.n}"


# The sub-packages' models (custom fields, knowledge base, mail channel) live there;
# imported here so Django finds them.
from tickets.fields.models import TicketField  # noqa: E402
from tickets.kb.models import (  # noqa: E402
    Article,
    ArticleVersion,
    ArticleVote,
    KbSection,
    KbSettings,
)
from tickets.mail.models import (  # noqa: E402
    Contact,
    ForwardingAddress,
    InboundMessage,
    MailRecipient,
    MailSettings,
    OutboundMessage,
)
from tickets.onboarding.models import ChecklistHidden  # noqa: E402
from tickets.reports.models import ReportDay, ReportState, ReportTime  # noqa: E402
from tickets.responses.models import CannedResponse, Macro  # noqa: E402
from tickets.satisfaction.models import SatisfactionRating  # noqa: E402
from tickets.saved.models import SavedView  # noqa: E402
from tickets.sla.models import (  # noqa: E402
    BusinessHoliday,
    BusinessHours,
    SLAPolicy,
    TicketSLA,
)
from tickets.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint  # noqa: E402

__all__ = [
    "Article",
    "ArticleVersion",
    "ArticleVote",
    "Attachment",
    "BusinessHoliday",
    "BusinessHours",
    "CannedResponse",
    "Category",
    "ChecklistHidden",
    "Contact",
    "ForwardingAddress",
    "InboundMessage",
    "KbSection",
    "KbSettings",
    "Macro",
    "MailRecipient",
    "MailSettings",
    "MessageVersion",
    "NotificationPreference",
    "OutboundMessage",
    "Reply",
    "ReportDay",
    "ReportState",
    "ReportTime",
    "SLAPolicy",
    "SatisfactionRating",
    "SavedView",
    "StatusCount",
    "Tag",
    "Ticket",
    "TicketEvent",
    "TicketField",
    "TicketSLA",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
