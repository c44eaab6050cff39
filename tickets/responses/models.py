"""Canned responses and macros, in each System's schema.

Foreign keys name their targets as strings: tickets.models imports this module (so
Django's registry finds these models), never the other way round. Owner empty means
shared (admins keep them); otherwise the row is that agent's own, seen by nobody else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_NAME_CHARS = 100


def _name_unique(model: str) -> list[models.BaseConstraint]:
    """A name once among the shared ones, and once among each agent's own (any case)."""
    return [
        models.UniqueConstraint(
            Lower("name"), condition=Q(owner__isnull=True), name=f"tickets_{model}_shared_name"
        ),
        models.UniqueConstraint(
            "owner",
            Lower("name"),
            condition=Q(owner__isnull=False),
            name=f"tickets_{model}_own_name",
        ),
    ]


class CannedResponse(models.Model):
    """A reply kept for reuse; its placeholders are filled in for each ticket."""

    name = models.CharField(max_length=MAX_NAME_CHARS)
    body = models.TextField(help_text=_("Markdown, with placeholders."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a shared response."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Lower("name"), "id"]
        constraints = _name_unique("canned")

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.owner_id is None


class AssignTo(models.TextChoices):
    LEAVE = "", _("Leave as it is")
    ME = "me", _("Me (whoever applies it)")
    NOBODY = "nobody", _("Nobody")
    PERSON = "person", _("A person")


class Macro(models.Model):
    """Changes made to a ticket in one go: fields, tags to add, and a reply or a note."""

    name = models.CharField(max_length=MAX_NAME_CHARS)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a shared macro."),
    )
    body = models.TextField(blank=True, help_text=_("Markdown, with placeholders; may be empty."))
    internal = models.BooleanField(default=False, help_text=_("Post the text as an internal note."))
    # A tickets.models.Status / Priority value, or empty to leave the field as it is (the
    # forms offer the choices: this module can't import tickets.models).
    status = models.CharField(max_length=10, blank=True)
    priority = models.CharField(max_length=10, blank=True)
    assign_to = models.CharField(max_length=10, choices=AssignTo.choices, blank=True)
    # Kept when the person goes: the macro then refuses to run, saying why, rather than
    # quietly leaving tickets unassigned.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        "tickets.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tags = models.CharField(max_length=500, blank=True, help_text=_("Tags to add, by commas."))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Lower("name"), "id"]
        constraints = _name_unique("macro")

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.owner_id is None
