"""The operator's business calendar: working hours, working weekdays and holidays.

A restore request is due one working day after it arrives: as many working hours as one
working day holds (09:00-18:00 is nine), counted only inside working hours. A request on
Tuesday at 14:00 is due Wednesday at 14:00; one on Friday evening, Monday at closing time.
Hours are wall-clock times in BUSINESS_TIME_ZONE, so a DST change moves nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tenants.backups.models import Holiday

# Far enough to cross any run of holidays an operator could enter; a bound, not a rule.
MAX_DAYS_AHEAD = 366


@dataclass(frozen=True)
class BusinessCalendar:
    zone: ZoneInfo
    opens: time
    closes: time
    weekdays: frozenset[int]
    holidays: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def window(self, day: date) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, self.opens, tzinfo=self.zone),
            datetime.combine(day, self.closes, tzinfo=self.zone),
        )

    @property
    def working_day(self) -> timedelta:
        start, end = self.window(date(2001, 1, 1))  # a day without a DST change
        return end - start

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """``start`` plus ``amount`` of working time, as an aware UTC datetime."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        local = start.astimezone(self.zone)
        left = amount
        day = local.date()
        for _ in range(MAX_DAYS_AHEAD + len(self.holidays)):
            if self.is_working_day(day):
                opens, closes = self.window(day)
                begin = max(opens, local)
                if begin < closes:
                    available = closes - begin
                    if left <= available:
                        return (begin + left).astimezone(UTC)
                    left -= available
            day += timedelta(days=1)
        raise ImproperlyConfigured("No working day within a year: check BUSINESS_WEEKDAYS.")


def parse_hours(value: str) -> tuple[time, time]:
    try:
        first, second = value.split("-")
        opens, closes = time.fromisoformat(first.strip()), time.fromisoformat(second.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"BUSINESS_HOURS must look like 09:00-18:00: {error}") from None
    if opens >= closes:
        raise ImproperlyConfigured("BUSINESS_HOURS must open before it closes.")
    return opens, closes


def parse_weekdays(value: str) -> frozenset[int]:
    try:
        days = frozenset(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise ImproperlyConfigured("BUSINESS_WEEKDAYS must be numbers 0-6 (Monday is 0).") from None
    if not days or not days <= set(range(7)):
        raise ImproperlyConfigured("BUSINESS_WEEKDAYS must be numbers 0-6 (Monday is 0).")
    return days


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
