"""One working day: counted in the operator's working hours, skipping weekends, holidays,
and unmoved by daylight-saving changes (Europe/Berlin, 09:00-18:00, Monday to Friday)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from tenants.backups.models import Holiday
from tenants.backups.services.calendar import business_calendar, one_working_day_after

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _operator_calendar(settings):
    settings.BUSINESS_TIME_ZONE = "Europe/Berlin"
    settings.BUSINESS_HOURS = "09:00-18:00"
    settings.BUSINESS_WEEKDAYS = "0,1,2,3,4"


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Friday evening: due Monday evening.
        (berlin(2026, 11, 27, 19, 30), berlin(2026, 11, 30, 18, 0)),
        # Saturday and Sunday count for nothing either.
        (berlin(2026, 11, 28, 11, 0), berlin(2026, 11, 30, 18, 0)),
        (berlin(2026, 11, 29, 23, 59), berlin(2026, 11, 30, 18, 0)),
        # During the day: the same time the next working day.
        (berlin(2026, 11, 24, 14, 0), berlin(2026, 11, 25, 14, 0)),
        (berlin(2026, 11, 27, 10, 0), berlin(2026, 11, 30, 10, 0)),
        # Before opening: the close of that day; after closing: the close of the next.
        (berlin(2026, 11, 24, 7, 0), berlin(2026, 11, 24, 18, 0)),
        (berlin(2026, 11, 24, 18, 0), berlin(2026, 11, 25, 18, 0)),
        (berlin(2026, 11, 24, 9, 0), berlin(2026, 11, 24, 18, 0)),
    ],
)
def test_a_request_is_due_one_working_day_later(received, due):
    assert one_working_day_after(received, holidays=[]) == due.astimezone(UTC)


def test_holidays_are_skipped_like_weekends():
    christmas = [date(2026, 12, 24), date(2026, 12, 25)]
    # Wednesday 17:00: one hour that day, eight on Monday the 28th.
    received = berlin(2026, 12, 23, 17, 0)
    assert one_working_day_after(received, holidays=christmas) == berlin(2026, 12, 28, 17, 0)
    assert one_working_day_after(received, holidays=[]) == berlin(2026, 12, 24, 17, 0)


def test_a_request_on_a_holiday_waits_for_the_next_working_day():
    received = berlin(2026, 12, 24, 11, 0)
    due = one_working_day_after(received, holidays=[date(2026, 12, 24), date(2026, 12, 25)])
    assert due == berlin(2026, 12, 28, 18, 0)


def test_holidays_come_from_the_operators_table(db):
    Holiday.objects.create(day=date(2026, 11, 30), name="Staff day")
    friday_evening = berlin(2026, 11, 27, 19, 0)
    assert one_working_day_after(friday_evening) == berlin(2026, 12, 1, 18, 0)


@pytest.mark.parametrize(
    ("received", "due", "due_utc"),
    [
        # Autumn: clocks go back on Sunday 25 October 2026; working hours stay 09-18 local.
        (
            berlin(2026, 10, 23, 20, 0),
            berlin(2026, 10, 26, 18, 0),
            datetime(2026, 10, 26, 17, 0, tzinfo=UTC),
        ),
        (
            berlin(2026, 10, 23, 12, 0),
            berlin(2026, 10, 26, 12, 0),
            datetime(2026, 10, 26, 11, 0, tzinfo=UTC),
        ),
        # Spring: clocks go forward on Sunday 29 March 2026.
        (
            berlin(2026, 3, 27, 15, 0),
            berlin(2026, 3, 30, 15, 0),
            datetime(2026, 3, 30, 13, 0, tzinfo=UTC),
        ),
    ],
)
def test_daylight_saving_changes_do_not_move_the_deadline(received, due, due_utc):
    result = one_working_day_after(received, holidays=[])
    assert result == due == due_utc
    assert result.tzinfo == UTC


def test_a_received_time_in_any_zone_is_read_in_the_operators_zone():
    # 19:30 UTC on a Friday is 20:30 in Berlin: after hours.
    received = datetime(2026, 11, 27, 19, 30, tzinfo=UTC)
    assert one_working_day_after(received, holidays=[]) == berlin(2026, 11, 30, 18, 0)


def test_other_working_hours_and_weekdays_are_honoured(settings):
    settings.BUSINESS_HOURS = "08:00-12:00"
    settings.BUSINESS_WEEKDAYS = "0,1,2,3,4,5"  # Saturdays too
    received = berlin(2026, 11, 27, 11, 0)  # Friday: one hour left, three on Saturday
    assert one_working_day_after(received, holidays=[]) == berlin(2026, 11, 28, 11, 0)


@pytest.mark.parametrize(
    ("hours", "weekdays"), [("18:00-09:00", "0"), ("nine-five", "0"), ("09:00-18:00", "7")]
)
def test_a_bad_calendar_setting_is_refused_clearly(settings, hours, weekdays):
    settings.BUSINESS_HOURS = hours
    settings.BUSINESS_WEEKDAYS = weekdays
    with pytest.raises(ImproperlyConfigured):
        business_calendar(holidays=[])


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        one_working_day_after(datetime(2026, 11, 27, 19, 0), holidays=[])  # noqa: DTZ001
