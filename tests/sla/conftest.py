from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from tenants.models import System
from tests.support.tenancy import in_schema
from tickets.sla.models import BusinessHoliday, BusinessHours, SLAPolicy

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 7 December 2026 is a holiday in these tests.
HOLIDAY = date(2026, 12, 7)


@pytest.fixture
def sla_a(system_a):
    """System A works Monday to Friday, 09:00-17:00 in Berlin, not on HOLIDAY; high
    priority: first response in 2 h, resolution in 8 h; normal: 4 h and 16 h."""
    # Business hours count in the System's zone (the row's column only follows it).
    System.objects.filter(pk=system_a.pk).update(time_zone="Europe/Berlin")
    system_a.time_zone = "Europe/Berlin"
    with in_schema(system_a):
        BusinessHours.objects.create(
            time_zone="Europe/Berlin", weekdays="01234", opens=time(9), closes=time(17)
        )
        BusinessHoliday.objects.create(day=HOLIDAY, name="Staff day")
        SLAPolicy.objects.create(priority="high", response_minutes=120, resolution_minutes=480)
        SLAPolicy.objects.create(priority="normal", response_minutes=240, resolution_minutes=960)
    return system_a
