"""Service levels of a System (its schema): business hours, holidays, policies, and each
ticket's targets with their outcome."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The calendar a System has until an admin sets one: Monday to Friday, 09:00-17:00 UTC.
DEFAULT_TIME_ZONE = "UTC"
DEFAULT_WEEKDAYS = "01234"  # Monday is 0
DEFAULT_OPENS, DEFAULT_CLOSES = time(9), time(17)
# The two targets of a ticket, in the order pages show them: (field prefix, label).
TARGETS = (("response", _("First response")), ("resolution", _("Resolution")))


class BusinessHours(models.Model):
    """The System's working hours: one row (pk 1), or none for the defaults."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE)
    # The working weekdays as digits, Monday 0 ("01234": Monday to Friday). Plain columns
    # here and below (digits, seconds) travel through exports and imports as they are.
    weekdays = models.CharField(max_length=7, default=DEFAULT_WEEKDAYS)
    opens = models.TimeField(default=DEFAULT_OPENS)
    closes = models.TimeField(default=DEFAULT_CLOSES)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "business hours"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="tickets_business_hours_one"),
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")),
                name="tickets_business_hours_open_before_close",
            ),
            models.CheckConstraint(
                condition=models.Q(weekdays__regex=r"^[0-6]{1,7}$"),
                name="tickets_business_hours_weekdays",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opens:%H:%M}-{self.closes:%H:%M} {self.time_zone}"

    @property
    def days(self) -> list[int]:
        return sorted({int(c) for c in self.weekdays if c.isdigit() and int(c) < 7})


class BusinessHoliday(models.Model):
    """A day the System doesn't work: SLA clocks don't run on it."""

    day = models.DateField(unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.name}"


class SLAPolicy(models.Model):
    """Targets in business minutes for a priority, or for a priority within one category
    (the more specific policy wins). An empty target means none."""

    priority = models.CharField(max_length=10)
    category = models.ForeignKey(
        "tickets.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "category"],
                name="tickets_sla_policy_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"SLA {self.priority} {self.category_id or ''}".strip()


class TicketSLA(models.Model):
    """One ticket's targets. For each target (``response``, ``resolution``): its length in
    business minutes (from the policy when it was last applied), when it is due (empty when
    paused or none; kept as it was once met), when it was met, when it was breached (the due
    time that passed; it stays once recorded), the business seconds left while paused, and
    when the warning and the breach mail were claimed (each once, by a conditional UPDATE).

    A clock runs from the ticket's creation and stops while the ticket is pending, solved
    or closed; ``paused_seconds`` is the business time of the stops that ended."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="sla"
    )
    policy = models.ForeignKey(
        SLAPolicy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.BigIntegerField(default=0)

    response_minutes = models.PositiveIntegerField(null=True, blank=True)
    response_due_at = models.DateTimeField(null=True, blank=True)
    response_done_at = models.DateTimeField(null=True, blank=True)
    response_breached_at = models.DateTimeField(null=True, blank=True)
    response_remaining_seconds = models.BigIntegerField(null=True, blank=True)
    response_warned_at = models.DateTimeField(null=True, blank=True)
    response_notified_at = models.DateTimeField(null=True, blank=True)

    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    resolution_done_at = models.DateTimeField(null=True, blank=True)
    resolution_breached_at = models.DateTimeField(null=True, blank=True)
    resolution_remaining_seconds = models.BigIntegerField(null=True, blank=True)
    resolution_warned_at = models.DateTimeField(null=True, blank=True)
    resolution_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ticket SLA"
        # The beat reads the targets still to be notified, by due time.
        indexes = [
            models.Index(
                fields=[f"{name}_due_at"],
                name=f"tickets_sla_{name}_idx",
                condition=models.Q(
                    **{f"{name}_done_at__isnull": True, f"{name}_notified_at__isnull": True}
                ),
            )
            for name, _label in TARGETS
        ] + [
            # Reports look for the breaches in a range (tickets.reports.rollup's facts).
            models.Index(
                fields=[f"{name}_breached_at"],
                name=f"tickets_sla_{name}_breach_idx",
                condition=models.Q(**{f"{name}_breached_at__isnull": False}),
            )
            for name, _label in TARGETS
        ]

    def __str__(self) -> str:
        return f"SLA of ticket {self.ticket_id}"

    @property
    def paused_total(self) -> timedelta:
        return timedelta(seconds=self.paused_seconds)

    def remaining(self, name: str) -> timedelta | None:
        """Business time left on a paused target (negative: it was already late)."""
        seconds = getattr(self, f"{name}_remaining_seconds")
        return None if seconds is None else timedelta(seconds=seconds)

    def outcome(self, name: str) -> str:
        """ "breached", "achieved", or "" while it is open (or there is no target)."""
        if getattr(self, f"{name}_breached_at") is not None:
            return "breached"
        if getattr(self, f"{name}_done_at") is not None:
            return "achieved"
        return ""

    def nearest_due(self) -> datetime | None:
        """The earliest deadline of a target neither met nor paused (Ticket.sla_due_at)."""
        dues = [
            getattr(self, f"{name}_due_at")
            for name, _label in TARGETS
            if getattr(self, f"{name}_done_at") is None
        ]
        return min((due for due in dues if due is not None), default=None)
