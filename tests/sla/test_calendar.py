"""The kernel's business calendar: working time between two moments and added to one, over
weekends, holidays and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from servicedesk.calendar import BusinessCalendar

BERLIN = ZoneInfo("Europe/Berlin")


def calendar(*, holidays=(), zone=BERLIN, opens=time(9), closes=time(17), weekdays=range(5)):
    return BusinessCalendar(
        zone=zone,
        opens=opens,
        closes=closes,
        weekdays=frozenset(weekdays),
        holidays=frozenset(holidays),
    )


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        # Inside one day.
        (berlin(2026, 12, 1, 10, 0), berlin(2026, 12, 1, 12, 30), 2.5),
        # Before opening and after closing count for nothing.
        (berlin(2026, 12, 1, 6, 0), berlin(2026, 12, 1, 20, 0), 8),
        # Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
        (berlin(2026, 12, 4, 16, 0), berlin(2026, 12, 7, 10, 0), 2),
        # A whole week.
        (berlin(2026, 11, 30, 0, 0), berlin(2026, 12, 7, 0, 0), 40),
    ],
)
def test_working_time_between_counts_only_working_hours(start, end, hours):
    assert calendar().working_time_between(start, end) == timedelta(hours=hours)


def test_a_holiday_counts_for_nothing_and_backwards_is_negative():
    monday_holiday = calendar(holidays=[date(2026, 12, 7)])
    friday, tuesday = berlin(2026, 12, 4, 16, 0), berlin(2026, 12, 8, 10, 0)
    assert monday_holiday.working_time_between(friday, tuesday) == timedelta(hours=2)
    assert monday_holiday.working_time_between(tuesday, friday) == -timedelta(hours=2)
    assert monday_holiday.add_working_time(friday, timedelta(hours=2)) == tuesday


@pytest.mark.parametrize(
    ("start", "amount", "due"),
    [
        # Spring forward (Sunday 29 March 2026): Friday 16:00 + 2 h is Monday 10:00 local,
        # 08:00 UTC (it was 15:00 UTC on Friday).
        (berlin(2026, 3, 27, 16, 0), 2, datetime(2026, 3, 30, 8, 0, tzinfo=UTC)),
        # Fall back (Sunday 25 October 2026): Monday 10:00 local is 09:00 UTC.
        (berlin(2026, 10, 23, 16, 0), 2, datetime(2026, 10, 26, 9, 0, tzinfo=UTC)),
    ],
)
def test_daylight_saving_moves_no_opening_time(start, amount, due):
    cal = calendar()
    assert cal.add_working_time(start, timedelta(hours=amount)) == due
    assert cal.working_time_between(start, due) == timedelta(hours=amount)


def test_hours_spanning_a_clock_change_count_as_long_as_they_last():
    # Open round the clock's change at 02:00 on 29 March 2026 (Sunday, working here):
    # 01:00-04:00 local lasts two real hours that night.
    night = calendar(opens=time(1), closes=time(4), weekdays=range(7))
    start, end = berlin(2026, 3, 29, 0, 0), berlin(2026, 3, 29, 23, 0)
    assert night.working_time_between(start, end) == timedelta(hours=2)
    assert night.add_working_time(start, timedelta(hours=2)) == berlin(2026, 3, 29, 4, 0)


def test_adding_and_measuring_agree_over_long_spans():
    cal = calendar(holidays=[date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)])
    start = berlin(2026, 11, 2, 11, 17)
    for minutes in (1, 59, 480, 4321, 60 * 24 * 30):
        due = cal.add_working_time(start, timedelta(minutes=minutes))
        assert cal.working_time_between(start, due) == timedelta(minutes=minutes)


def test_time_added_long_after_a_year_still_works_and_a_calendar_without_days_fails():
    start = berlin(2024, 1, 2, 9, 0)
    two_years = calendar().add_working_time(start, timedelta(hours=8 * 520))  # working days
    assert two_years.astimezone(BERLIN) == berlin(2025, 12, 29, 17, 0)
    with pytest.raises(ImproperlyConfigured):
        calendar(weekdays=[]).add_working_time(start, timedelta(hours=1))
    with pytest.raises(ValueError, match="aware"):
        calendar().working_time_between(datetime(2026, 1, 1), start)  # noqa: DTZ001
