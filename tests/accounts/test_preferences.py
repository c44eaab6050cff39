"""Each person's language and time zone, the System's defaults, and times shown in the
reader's zone with the zone named where it matters."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.utils.formats import date_format

from accounts.models import AuditEvent, User
from tenants.models import System
from tests.support.tenancy import client_for, in_schema

HCM = "Asia/Ho_Chi_Minh"
# 01:00 UTC is 08:00 in Ho Chi Minh City (UTC+7).
ONE_AM_UTC = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def _shown(zone: str) -> str:
    """How the ticket page writes 01:00 UTC for a reader in ``zone`` (English format)."""
    return date_format(ONE_AM_UTC.astimezone(ZoneInfo(zone)), "DATETIME_FORMAT") + "</time>"


def _profile(client, **fields):
    return client.post("/account/profile/", {"full_name": "Arno Agent", "phone": "", **fields})


def test_a_person_in_ho_chi_minh_sees_a_ticket_of_0100_utc_at_0800(
    system_a, agent_a, member_a, make_ticket
):
    with time_machine.travel(ONE_AM_UTC, tick=False):
        ticket = make_ticket(member_a)
    with in_schema(system_a):
        User.objects.filter(pk=agent_a.pk).update(time_zone=HCM)

    page = client_for(system_a, agent_a).get(f"/tickets/{ticket.number}/").content.decode()

    assert _shown(HCM) in page and _shown("UTC") not in page


def test_a_person_without_a_zone_gets_the_systems(system_a, agent_a, member_a, make_ticket):
    System.objects.filter(pk=system_a.pk).update(time_zone=HCM)
    with time_machine.travel(ONE_AM_UTC, tick=False):
        ticket = make_ticket(member_a)

    page = client_for(system_a, agent_a).get(f"/tickets/{ticket.number}/").content.decode()
    assert _shown(HCM) in page

    profile = client_for(system_a, agent_a).get("/account/profile/").content.decode()
    assert f"The System&#x27;s ({HCM})" in profile


def test_a_person_chooses_language_and_zone_audited_in_the_profile_row(system_a, agent_a):
    client = client_for(system_a, agent_a)

    response = _profile(client, language="vi", time_zone=HCM)

    assert response.status_code == 302
    with in_schema(system_a):
        person = User.objects.get(pk=agent_a.pk)
        (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.PROFILE_CHANGED)
    assert (person.language, person.time_zone) == ("vi", HCM)
    assert event.detail == {"language": ["", "vi"], "time_zone": ["", HCM]}
    # The next page is in the language just chosen, the cookie remembers it for sign-in.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert client.get("/account/profile/")["Content-Language"] == "vi"


def test_automatic_gives_the_choice_back_to_the_browser(system_a, agent_a):
    with in_schema(system_a):
        User.objects.filter(pk=agent_a.pk).update(language="vi", time_zone=HCM)
    client = client_for(system_a, agent_a)

    assert _profile(client, language="", time_zone="").status_code == 302

    with in_schema(system_a):
        person = User.objects.get(pk=agent_a.pk)
    assert (person.language, person.time_zone) == ("", "")
    page = client.get("/account/profile/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "en"


def test_an_unknown_zone_or_language_is_refused_and_the_input_kept(system_a, agent_a):
    client = client_for(system_a, agent_a)

    response = client.post(
        "/account/profile/",
        {"full_name": "Arno Renamed", "phone": "", "language": "xx", "time_zone": "Mars/Olympus"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "not a time zone we know" in page and "Choose one of the offered languages" in page
    assert 'value="Arno Renamed"' in page
    with in_schema(system_a):
        person = User.objects.get(pk=agent_a.pk)
    assert (person.full_name, person.language, person.time_zone) == ("Arno Agent", "", "")


def test_system_bs_user_cannot_change_a_profile_in_system_a(system_a, system_b, user_b):
    client = client_for(system_b, user_b)
    response = client.post(
        "/account/profile/",
        {"full_name": "Bea Elsewhere", "language": "vi"},
        HTTP_HOST=f"{system_a.slug}.{settings.BASE_DOMAIN}",
    )
    assert response.status_code in {302, 403, 404}  # B's session means nothing on A's host
    with in_schema(system_b):
        assert User.objects.get(pk=user_b.pk).language == ""
    with in_schema(system_a):
        assert not User.objects.filter(full_name="Bea Elsewhere").exists()


def test_the_owner_sets_the_systems_language_and_zone_audited(
    system_a, owner_a, django_capture_on_commit_callbacks
):
    client = client_for(system_a, owner_a)
    data = {"name": system_a.name, "idle_timeout_minutes": "480", "invite_expiry_days": "7"}

    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/settings/", {**data, "language": "vi", "time_zone": HCM})

    assert response.status_code == 302
    system_a.refresh_from_db()
    assert (system_a.language, system_a.time_zone) == ("vi", HCM)
    assert len(queued) == 1  # the SLA recomputation: business hours count in the new zone
    with in_schema(system_a):
        event = AuditEvent.objects.get(action=AuditEvent.Action.SETTINGS_CHANGED)
    assert event.detail == {"language": ["en", "vi"], "time_zone": ["UTC", HCM]}
    page = client.get("/settings/sla/").content.decode()
    assert f'<option value="{HCM}" selected>' in page


def test_a_bad_system_zone_is_refused_with_a_clear_message(system_a, owner_a):
    response = client_for(system_a, owner_a).post(
        "/settings/",
        {
            "name": "Alpha Renamed",
            "idle_timeout_minutes": "480",
            "invite_expiry_days": "7",
            "language": "en",
            "time_zone": "Mars/Olympus",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "not a time zone we know" in page and 'value="Alpha Renamed"' in page
    system_a.refresh_from_db()
    assert system_a.time_zone == "UTC"


def test_agents_may_not_change_the_systems_zone(system_a, agent_a):
    response = client_for(system_a, agent_a).post(
        "/settings/", {"name": "x", "language": "en", "time_zone": HCM}
    )
    assert response.status_code == 403
    system_a.refresh_from_db()
    assert system_a.time_zone == "UTC"
