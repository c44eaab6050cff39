"""Saved views of the ticket list, in each System's schema.

Foreign keys name their targets through settings or strings: tickets.models imports this
module (so Django's registry finds the model), never the other way round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_NAME_CHARS = 80
MAX_QUERY_CHARS = 2000


class SavedView(models.Model):
    """A list's filters and sort (as a query string) and the columns it shows, under a name.

    No owner: shared with every agent (kept by those with MANAGE_SHARED_TOOLS); otherwise
    one person's own.
    """

    name = models.CharField(max_length=MAX_NAME_CHARS)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_views",
        help_text=_("Empty: shared with all staff."),
    )
    # Only the list's own filter and sort keys, sorted, no page (tickets.saved.query).
    query = models.CharField(max_length=MAX_QUERY_CHARS, blank=True)
    # Column keys in order (tickets.saved.columns); empty: the list's default columns.
    columns = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["owner", "position", "id"], name="tickets_savedview_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.owner_id is None
