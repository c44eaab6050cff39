"""The restore request page: the owner and admins ask, with a backup or a moment and a
reason; they see the deadline, the status and the operator's note; nobody else gets in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEvent, Role
from tenants.backups.models import Backup, RestoreRequest
from tenants.backups.services.restore_requests import restore_request_answer
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema

URL = "/settings/restore/"
# Tuesday 24 November 2026, 14:00 in Berlin.
TUESDAY_AFTERNOON = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _calendar(settings):
    settings.BUSINESS_TIME_ZONE = "Europe/Berlin"
    settings.BUSINESS_HOURS = "09:00-18:00"
    settings.BUSINESS_WEEKDAYS = "0,1,2,3,4"
    settings.OPERATOR_EMAIL = "ops@example.com"


def _backup(system, *, days_ago: int, status: str = Backup.Status.OK) -> Backup:
    return Backup.objects.create(
        system=system,
        system_slug=system.slug,
        schema_name=system.schema_name,
        status=status,
        started_at=TUESDAY_AFTERNOON - timedelta(days=days_ago),
    )


def _role(system, role: str):
    with in_schema(system):
        return UserFactory(email=f"{role}@alpha.example", role=role)


@time_machine.travel(TUESDAY_AFTERNOON, tick=False)
def test_the_owner_picks_a_backup_and_sees_the_deadline_one_working_day_later(
    system_a, owner_a, django_capture_on_commit_callbacks
):
    newer, older = _backup(system_a, days_ago=1), _backup(system_a, days_ago=2)
    _backup(system_a, days_ago=0, status=Backup.Status.FAILED)
    client = client_for(system_a, owner_a)
    page = client.get(URL).content.decode()
    assert page.index(f'value="{newer.pk}"') < page.index(f'value="{older.pk}"')
    assert page.count('name="backup"') == 2  # the failed one is not offered

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"backup": older.pk, "reason": "An agent deleted a category."}, follow=True
        )
    body = response.content.decode()
    made = RestoreRequest.objects.get(system=system_a)
    assert made.backup == older and made.status == RestoreRequest.Status.OPEN
    assert made.due_at == datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # Wednesday 14:00 Berlin
    assert "Waiting for the operator" in body and "Nov. 25, 2026, 1 p.m." in body
    assert "you can ask again once it is answered" in body
    (alert,) = [m for m in mail.outbox if "Restore requested" in m.subject]
    assert alert.to == ["ops@example.com"] and "An agent deleted a category." in alert.body
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action=AuditEvent.Action.RESTORE_REQUESTED).exists()


@time_machine.travel(TUESDAY_AFTERNOON, tick=False)
def test_an_admin_may_ask_for_a_moment_instead_of_a_backup(system_a):
    admin = _role(system_a, Role.ADMIN)
    response = client_for(system_a, admin).post(
        URL, {"point_in_time": "2026-11-23T08:30", "reason": "Lost replies this morning."}
    )
    assert response.status_code == 302
    made = RestoreRequest.objects.get(system=system_a)
    assert made.point_in_time == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    assert made.backup is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "x"}, "Choose a backup or a moment"),
        ({"point_in_time": "2026-11-23T08:30", "reason": ""}, "This field is required"),
        ({"point_in_time": "2027-01-01T08:30", "reason": "Future"}, "Choose a moment in the past"),
        ({"backup": "999999", "reason": "Gone"}, "Select a valid choice"),
    ],
)
@time_machine.travel(TUESDAY_AFTERNOON, tick=False)
def test_a_bad_request_is_shown_again_with_its_input(system_a, owner_a, data, message):
    response = client_for(system_a, owner_a).post(URL, data)
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    if data.get("reason"):
        assert data["reason"] in body
    assert not RestoreRequest.objects.filter(system=system_a).exists()


@pytest.mark.parametrize("role", [Role.AGENT, Role.MEMBER])
def test_agents_and_members_may_not_ask_for_a_restore(system_a, role):
    client = client_for(system_a, _role(system_a, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"point_in_time": "2026-11-23T08:30", "reason": "x"}).status_code == 403
    assert not RestoreRequest.objects.filter(system=system_a).exists()


def test_anonymous_visitors_are_sent_to_sign_in(system_a):
    response = client_for(system_a).get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_system_bs_user_sees_nothing_of_system_as_requests_or_backups(
    system_a, system_b, owner_a, user_b
):
    backup = _backup(system_a, days_ago=1)
    RestoreRequest.objects.create(
        system=system_a,
        reason="Alpha's secret trouble",
        due_at=timezone.now(),
        requested_by_label="Olga",
        requested_by_email=owner_a.email,
    )
    page = client_for(system_b, user_b).get(URL).content.decode()
    assert "Alpha's secret trouble" not in page and f'value="{backup.pk}"' not in page
    response = client_for(system_b, user_b).post(URL, {"backup": backup.pk, "reason": "Steal"})
    assert response.status_code == 400
    assert not RestoreRequest.objects.filter(system=system_b).exists()


def test_the_customer_sees_the_operators_answer(system_a, owner_a):
    made = RestoreRequest.objects.create(
        system=system_a,
        reason="Help",
        due_at=timezone.now(),
        requested_by_label="Olga",
        requested_by_email=owner_a.email,
    )
    restore_request_answer(
        request=made,
        operator="op@example.com",
        status=RestoreRequest.Status.REJECTED,
        note="The data you miss is in the trash.",
    )
    page = client_for(system_a, owner_a).get(URL).content.decode()
    assert "Declined" in page and "The data you miss is in the trash." in page
    with in_schema(system_a):
        event = AuditEvent.objects.get(action=AuditEvent.Action.RESTORE_ANSWERED)
    assert event.actor_label == "Operator (op@example.com)"


def test_the_page_says_a_restore_never_brings_back_old_passwords_or_roles(system_a, owner_a):
    page = client_for(system_a, owner_a).get(URL).content.decode()
    assert "never brings back old passwords or permissions" in page
    assert "Accounts deleted since the backup come back deactivated" in page


def test_the_page_costs_the_same_queries_with_1_or_20_backups_and_requests(
    system_a, owner_a, django_assert_max_num_queries
):
    def add(count: int) -> None:
        for n in range(count):
            _backup(system_a, days_ago=n + 1)
            RestoreRequest.objects.create(
                system=system_a,
                backup=Backup.objects.latest("id"),
                reason="r",
                status=RestoreRequest.Status.DONE,
                due_at=timezone.now(),
                requested_by_label="Olga",
                requested_by_email=owner_a.email,
            )

    client = client_for(system_a, owner_a)
    add(1)
    client.get(URL)
    with django_assert_max_num_queries(20) as one:
        client.get(URL)
    add(19)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(URL).content.decode()
    assert page.count('name="backup"') == 20


@time_machine.travel(TUESDAY_AFTERNOON, tick=False)
def test_one_request_waits_at_a_time(system_a, owner_a):
    data = {"point_in_time": "2026-11-23T08:30", "reason": "Lost replies."}
    client = client_for(system_a, owner_a)
    assert client.post(URL, data).status_code == 302
    again = client.post(URL, {**data, "reason": "Again"})
    assert again.status_code == 400
    assert "already waiting" in again.content.decode()
    assert RestoreRequest.objects.filter(system=system_a).count() == 1


@time_machine.travel(TUESDAY_AFTERNOON, tick=False)
def test_the_moment_is_read_in_the_readers_zone_and_kept_in_utc(system_a, owner_a):
    with in_schema(system_a):
        owner_a.time_zone = "Asia/Ho_Chi_Minh"
        owner_a.save(update_fields=["time_zone"])
    client = client_for(system_a, owner_a)
    assert "Asia/Ho_Chi_Minh" in client.get(URL).content.decode()

    response = client.post(URL, {"point_in_time": "2026-11-23T08:00", "reason": "Lost replies."})

    assert response.status_code == 302
    made = RestoreRequest.objects.get(system=system_a)
    assert made.point_in_time == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
