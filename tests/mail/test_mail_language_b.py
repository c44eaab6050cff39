"""Mail is written in its reader's language and shows times in his zone: a person's own
choice first, then the System's defaults (a contact, who has no account, gets those).

The Vietnamese expected here is read from the committed catalog (gettext under "vi"), and
each test also checks that it is Vietnamese indeed (it differs from the English), so a
mail rendered in the wrong language fails whatever the catalog holds.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from accounts.models import Role
from tenants.lifecycle import services as lifecycle
from tenants.models import System
from tests.factories import UserFactory
from tests.mail.outbound_support import contact_ticket, only, parts
from tests.support.tenancy import in_schema
from tickets.services import tickets as ticket_services
from tickets.sla.models import BusinessHours, SLAPolicy
from tickets.sla.services.alerts import sla_alerts_send

pytestmark = pytest.mark.django_db
SAIGON = "Asia/Ho_Chi_Minh"
NEW_YORK = "America/New_York"


def _in(language: str, message: str, **values) -> str:
    with translation.override(language):
        return gettext(message) % values


def _vietnamese(message: str, **values) -> str:
    """``message`` in Vietnamese, which must not be the English (else the test proves
    nothing about the language the mail was written in)."""
    vietnamese, english = _in("vi", message, **values), _in("en", message, **values)
    assert vietnamese != english, f"no Vietnamese for {message!r} in the committed catalog"
    return vietnamese


def _when(moment: datetime, *, language: str, zone: str, format: str) -> str:
    with translation.override(language):
        return date_format(moment.astimezone(ZoneInfo(zone)), format)


def _to(address: str):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def test_a_new_ticket_mail_is_in_each_readers_language(
    system_a, member_a, django_capture_on_commit_callbacks
):
    with in_schema(system_a):
        nam = UserFactory(email="nam@alpha.example", role=Role.AGENT, language="vi")
        ann = UserFactory(email="ann@alpha.example", role=Role.AGENT, language="en")
        with django_capture_on_commit_callbacks(execute=True):
            ticket = ticket_services.ticket_create(
                actor=member_a, subject="VPN down", description="Since noon."
            )

    tag = f"[#{ticket.number}]"
    subject = "New ticket: %(subject)s"
    assert _to(nam.email).subject == f"{tag} {_vietnamese(subject, subject='VPN down')}"
    assert _to(ann.email).subject == f"{tag} New ticket: VPN down"
    assert "Mia Member raised ticket" in _to(ann.email).body


@time_machine.travel(datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo("UTC")), tick=False)
def test_an_sla_breach_is_in_each_admins_language_and_zone(
    system_a, member_a, django_capture_on_commit_callbacks
):
    with in_schema(system_a):
        BusinessHours.objects.create(
            time_zone="UTC", weekdays="0123456", opens=time(0), closes=time(23, 59)
        )
        SLAPolicy.objects.create(priority="normal", response_minutes=60, resolution_minutes=600)
        nam = UserFactory(
            email="nam@alpha.example", role=Role.ADMIN, language="vi", time_zone=SAIGON
        )
        ann = UserFactory(
            email="ann@alpha.example", role=Role.OWNER, language="en", time_zone=NEW_YORK
        )
        with django_capture_on_commit_callbacks(execute=True):
            ticket = ticket_services.ticket_create(
                actor=member_a, subject="VPN down", description="Since noon."
            )
        mail.outbox.clear()
        due = datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("UTC"))
        with (
            time_machine.travel(due + timedelta(minutes=1), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert sla_alerts_send() == (0, 1)

    tag = f"[#{ticket.number}]"
    vietnamese = _to(nam.email)
    target = _in("vi", "First response").lower()
    breached = "SLA breached (%(target)s): %(subject)s"
    assert vietnamese.subject == f"{tag} {_vietnamese(breached, target=target, subject='VPN down')}"
    # 10:00 UTC is 17:00 in Saigon, written the Vietnamese way, the zone named.
    saigon = _when(due, language="vi", zone=SAIGON, format="DATETIME_FORMAT")
    assert f"{saigon} ({SAIGON})" in vietnamese.body and "17:00" in saigon

    english = _to(ann.email)
    assert english.subject == f"{tag} SLA breached (first response): VPN down"
    new_york = _when(due, language="en", zone=NEW_YORK, format="DATETIME_FORMAT")
    assert f"was due at {new_york} ({NEW_YORK}) and has not been met" in english.body
    assert "5 a.m." in new_york


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_trial_reminder_is_in_the_owners_language_with_the_date_in_his_zone(
    system_a, language, django_capture_on_commit_callbacks
):
    # 20:00 UTC on 8 December is already 9 December in Saigon.
    ends = datetime(2026, 12, 8, 20, 0, tzinfo=ZoneInfo("UTC"))
    System.objects.filter(pk=system_a.pk).update(status=System.Status.TRIAL, trial_ends_at=ends)
    zone = SAIGON if language == "vi" else "UTC"
    with in_schema(system_a):
        owner = UserFactory(
            email="nam@alpha.example", role=Role.OWNER, language=language, time_zone=zone
        )
    system = System.objects.get(pk=system_a.pk)

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.trial_check(system=system, as_of=ends - timedelta(days=2, hours=12))

    told, name = _to(owner.email), system.name
    english = f"Your trial of {name} ends in 3 days"
    date = _when(ends, language=language, zone=zone, format="DATE_FORMAT")
    if language == "en":
        assert told.subject == english
        assert f"The trial of {name} ends on {date}." in told.body and "8" in date
        return
    with translation.override("vi"):
        subject = ngettext(
            "Your trial of %(name)s ends in %(counter)s day",
            "Your trial of %(name)s ends in %(counter)s days",
            3,
        ) % {"name": name, "counter": 3}
    assert subject != english, "no Vietnamese in the committed catalog"
    assert told.subject == subject
    assert date in told.body and "09" in date


def test_a_contact_gets_the_systems_default_language(
    system_a, agent_a, django_capture_on_commit_callbacks
):
    System.objects.filter(pk=system_a.pk).update(language="vi", time_zone=SAIGON)

    ticket = contact_ticket(System.objects.get(pk=system_a.pk), django_capture_on_commit_callbacks)

    received = "Received: %(subject)s"
    acknowledgement = only("eve@outside.example")
    expected = _vietnamese(received, subject="Invoice missing")
    assert acknowledgement["Subject"] == f"[#{ticket.number}] {expected}"
    text, _html = parts(acknowledgement)
    assert _vietnamese("Hello %(name)s,", name="Eve Nguyễn") in text
