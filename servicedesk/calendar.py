"""A business calendar: working hours on working weekdays, less holidays, in one time zone.

The operator's restore deadlines (tenants.backups) and each System's SLA (tickets.sla) use it.
Hours are wall-clock times in the calendar's zone, so a daylight-saving change moves no
opening or closing time; the arithmetic itself is done in UTC, so an hour that a change
removes or repeats inside working hours counts as long as it really lasts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured

# Far enough to cross any run of holidays anyone could enter; a bound, not a rule.
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

    def _utc_window(self, day: date) -> tuple[datetime, datetime]:
        opens, closes = self.window(day)
        return opens.astimezone(UTC), closes.astimezone(UTC)

    @property
    def working_day(self) -> timedelta:
        start, end = self.window(date(2001, 1, 1))  # a day without a DST change
        return end - start

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """``start`` plus ``amount`` of working time, as an aware UTC datetime."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        begin_at = start.astimezone(UTC)
        left = amount
        day = start.astimezone(self.zone).date()
        idle = 0  # days in a row without working time: a calendar with none never ends
        while idle <= MAX_DAYS_AHEAD + len(self.holidays):
            if self.is_working_day(day):
                opens, closes = self._utc_window(day)
                begin = max(opens, begin_at)
                if begin < closes:
                    available = closes - begin
                    if left <= available:
                        return begin + left
                    left -= available
                    idle = -1
            idle += 1
            day += timedelta(days=1)
        raise ImproperlyConfigured("No working day within a year: check the working weekdays.")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from ``start`` to ``end`` (negative when ``end`` comes first)."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must be timezone-aware")
        if end < start:
            return -self.working_time_between(end, start)
        begin_at, end_at = start.astimezone(UTC), end.astimezone(UTC)
        total = timedelta(0)
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            if self.is_working_day(day):
                opens, closes = self._utc_window(day)
                overlap = min(closes, end_at) - max(opens, begin_at)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total


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
