"""Satisfaction on the reports page (a section of tickets.reports, registered by
TicketsConfig.ready): the range's solves, answered and good, in all and per agent."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from tickets.reports.sections import Table
from tickets.satisfaction.selectors import (
    SatisfactionSummary,
    satisfaction_answers,
    satisfaction_by,
    satisfaction_summary,
)


def _headers() -> list[str]:
    return [
        _("Agent"),
        _("Asked"),
        _("Answered"),
        _("Good"),
        _("Bad"),
        _("Good (%)"),
        _("Answered (%)"),
    ]


def _percent(value: float | None) -> object:
    return "" if value is None else round(value * 100, 1)


def _row(label: str, summary: SatisfactionSummary) -> list[object]:
    return [
        label,
        summary.asked,
        summary.answered,
        summary.good,
        summary.bad,
        _percent(summary.rate),
        _percent(summary.response_rate),
    ]


def satisfaction_table(*, start: datetime, end: datetime) -> Table:
    """Three queries whatever the range: the total, the counts per assignee, their names."""
    total = satisfaction_summary(start=start, end=end)
    per_agent = satisfaction_by(start=start, end=end, group="assignee")
    names = {
        person.pk: person.get_full_name()
        for person in User.objects.filter(pk__in=[pk for pk in per_agent if pk is not None])
    }
    rows = [_row(_("All"), total)]
    rows += [
        _row(names.get(pk, _("Deleted user")) if pk is not None else _("Unassigned"), summary)
        for pk, summary in sorted(
            per_agent.items(), key=lambda item: (item[0] is None, names.get(item[0] or 0, ""))
        )
    ]
    return Table("satisfaction", _("Satisfaction with solved tickets"), _headers(), rows)


def satisfaction_answers_table(*, start: datetime, end: datetime) -> Table:
    """The latest answers themselves, with their tickets and comments (one query); times in
    the reader's zone, named in the header."""
    zone = timezone.get_current_timezone_name()
    headers = [_("Ticket"), _("Answer"), _("Comment"), _("Answered at (%(zone)s)") % {"zone": zone}]
    rows: list[list[object]] = [
        [
            f"#{rating.ticket.number} {rating.ticket.shown_subject}",
            rating.get_answer_display(),
            rating.comment[:200],
            date_format(timezone.localtime(rating.answered_at), "SHORT_DATETIME_FORMAT"),
        ]
        for rating in satisfaction_answers(start=start, end=end)
    ]
    return Table("satisfaction_answers", _("Latest answers"), headers, rows)
