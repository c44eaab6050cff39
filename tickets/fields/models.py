"""A custom field's definition (System schema). Its values live on the ticket, in
``Ticket.custom`` (``{key: value}``), so that filters are one GIN-indexed ``@>``.

Foreign keys and imports point down only: tickets.models imports this module (so Django's
registry finds the model), never the other way round.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# "cf_" + key is the name of the field in forms, in the list's query string and in the
# history (TicketEvent.field holds 30 characters).
PREFIX = "cf_"
MAX_KEY = 27
MAX_LABEL = 80
MAX_CHOICES = 100
MAX_CHOICE = 100


class TicketField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        DROPDOWN = "dropdown", _("Dropdown")
        MULTI = "multi", _("Multi-select")
        CHECKBOX = "checkbox", _("Checkbox")

    class Visibility(models.TextChoices):
        EVERYONE = "everyone", _("Everyone (members too)")
        STAFF = "staff", _("Staff only")

    label = models.CharField(max_length=MAX_LABEL)
    # Made from the label when the field is added, never changed and never reused (rows are
    # archived, not deleted): stored values, filters in saved views and exports name it.
    key = models.CharField(max_length=MAX_KEY, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, editable=False)
    # Dropdown and multi-select: the choices offered, in order. Values on tickets are the
    # choice's text; a choice taken away stays readable on the tickets that have it.
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Archived: no longer in forms or filters; values already given stay readable.
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(Lower("label"), name="tickets_field_label_ci_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def name(self) -> str:
        """The field's name in forms, query strings and the history."""
        return PREFIX + self.key

    @property
    def staff_only(self) -> bool:
        return self.visibility == self.Visibility.STAFF

    @property
    def has_choices(self) -> bool:
        return self.kind in {self.Kind.DROPDOWN, self.Kind.MULTI}
