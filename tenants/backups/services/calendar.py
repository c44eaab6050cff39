"""The operator's business calendar: the kernel's (servicedesk.calendar) built from settings
and the Holiday table.

A restore request is due one working day after it arrives: as many working hours as one
working day holds (09:00-18:00 is nine), counted only inside working hours. A request on
Tuesday at 14:00 is due Wednesday at 14:00; one on Friday evening, Monday at closing time.
Hours are wall-clock times in BUSINESS_TIME_ZONE, so a DST change moves nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from servicedesk.calendar import MAX_DAYS_AHEAD, BusinessCalendar, parse_hours, parse_weekdays
from tenants.backups.models import Holiday

# The kernel's calendar, built here from the operator's settings and Holiday table.
__all__ = ["BusinessCalendar", "business_calendar", "one_working_day_after"]


def business_calendar(*, holidays: Iterable[date] | None = None) -> BusinessCalendar:
    """The calendar from settings; holidays from the Holiday table unless given."""
    if holidays is None:
        today = datetime.now(UTC).date()
        holidays = Holiday.objects.filter(
            day__gte=today - timedelta(days=7), day__lte=today + timedelta(days=MAX_DAYS_AHEAD)
        ).values_list("day", flat=True)
    opens, closes = parse_hours(settings.BUSINESS_HOURS)
    return BusinessCalendar(
        zone=ZoneInfo(settings.BUSINESS_TIME_ZONE),
        opens=opens,
        closes=closes,
        weekdays=parse_weekdays(settings.BUSINESS_WEEKDAYS),
        holidays=frozenset(holidays),
    )


def one_working_day_after(start: datetime, *, holidays: Iterable[date] | None = None) -> datetime:
    """When something received at ``start`` is due: one working day of working time later."""
    calendar = business_calendar(holidays=holidays)
    return calendar.add_working_time(start, calendar.working_day)
