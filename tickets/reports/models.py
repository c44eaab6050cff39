"""The reports' daily rollup, in each System's schema (tickets.reports.rollup keeps it).
Days are the System's local days. Derived data: rebuilt from the tickets at will, left out
of exports (an import rebuilds it)."""

from __future__ import annotations

from django.db import models

# What a ReportDay row counts: every ticket, or one agent's, category's or tag's.
DIMENSIONS = ("all", "agent", "category", "tag")


class ReportDay(models.Model):
    """One local day's counts for one slice of the tickets. ``key`` is the agent's,
    category's or tag's id (None: unassigned, no category, no tag; and for "all")."""

    day = models.DateField()
    dimension = models.CharField(max_length=10)
    key = models.BigIntegerField(null=True)
    created = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    response_met = models.IntegerField(default=0)
    response_breached = models.IntegerField(default=0)
    resolution_met = models.IntegerField(default=0)
    resolution_breached = models.IntegerField(default=0)
    # Unsolved tickets at the day's end, per status: on the "all" row only.
    backlog_new = models.IntegerField(default=0)
    backlog_open = models.IntegerField(default=0)
    backlog_pending = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["dimension", "day"], name="tickets_reportday_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension} {self.key}"


class ReportTime(models.Model):
    """A ticket's first-response ("r") or resolution ("s") time, on the local day it ended:
    a range's exact medians and 90th percentiles are percentile_cont over these rows."""

    ticket_id = models.BigIntegerField()
    kind = models.CharField(max_length=1)
    day = models.DateField()
    seconds = models.FloatField()
    agent_id = models.BigIntegerField(null=True)
    category_id = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            # A range's times read from the index alone.
            models.Index(
                fields=["kind", "day"],
                include=["seconds", "agent_id", "category_id", "ticket_id"],
                name="tickets_reporttime_idx",
            ),
            models.Index(fields=["ticket_id"], name="tickets_reporttime_ticket_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.kind} {self.day}"


class ReportState(models.Model):
    """One row: the zone the rollup's days are in, the first day it holds, the last day it
    was brought up to date (that day's rows were partial), and when the last refresh
    started (changes after it are looked for by the next)."""

    zone = models.CharField(max_length=64)
    first_day = models.DateField()
    through = models.DateField()
    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.zone} {self.first_day}..{self.through}"
