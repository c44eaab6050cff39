"""One row per solve of a ticket: what its requester answered when asked how it went."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class Answer(models.TextChoices):
    GOOD = "good", _("Good")
    BAD = "bad", _("Bad")


class SatisfactionRating(models.Model):
    """Made when a ticket is solved (reopened and solved again: a new row, asked again);
    answered at most once, then changed for a while (tickets.satisfaction.services)."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="satisfaction_ratings"
    )
    solved_at = models.DateTimeField(help_text=_("The solve this asks about."))
    answer = models.CharField(max_length=4, choices=Answer.choices, blank=True)
    comment = models.TextField(blank=True)
    # The first answer: changes are taken for CHANGE_DAYS after it.
    answered_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    # Who answered on the ticket's page; empty when it came by the mail's link.
    answered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "solved_at"], name="tickets_satisfaction_one_per_solve"
            ),
            models.CheckConstraint(
                condition=models.Q(answer="") | models.Q(answered_at__isnull=False),
                name="tickets_satisfaction_answered_at",
            ),
        ]
        # Reports count the solves of a range.
        indexes = [models.Index(fields=["solved_at"], name="tickets_satisfaction_solved")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.solved_at:%Y-%m-%d}: {self.answer or 'no answer'}"
