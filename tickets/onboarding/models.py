"""Who hid the set-up checklist, in each System's schema.

tickets.models imports this module (so Django's registry finds the model), never the other
way round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChecklistHidden(models.Model):
    """A person who chose "Hide this checklist": one row each, none while it shows.

    Kept per person, not per System: the owner hiding it says nothing about whether a new
    admin wants the pointers to where things are set up.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    hidden_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hidden set-up checklist")

    def __str__(self) -> str:
        return f"checklist hidden by {self.user_id}"
