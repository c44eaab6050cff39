"""The operator's side: backups, restore requests by deadline (overdue ones stand out and
are emailed once), starting a restore from a request, confirming it, holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.core import mail
from django.utils import timezone

from tenants.backups.models import Backup, Holiday, Restore, RestoreRequest
from tenants.backups.services import backups
from tenants.backups.services.restore_requests import restore_requests_alert_overdue
from tests.backups.conftest import checksums, fill
from tests.support.tenancy import in_schema
from tickets.models import Ticket


def _request(system, *, due_in: timedelta, **fields) -> RestoreRequest:
    return RestoreRequest.objects.create(
        system=system,
        reason=fields.pop("reason", "Lost data"),
        due_at=timezone.now() + due_in,
        requested_by_label="Olga",
        requested_by_email="owner@alpha.example",
        **fields,
    )


def test_requests_are_listed_by_deadline_with_overdue_ones_highlighted(
    operator, system_a, system_b
):
    later = _request(system_b, due_in=timedelta(hours=5), reason="Later one")
    late = _request(system_a, due_in=-timedelta(hours=2), reason="Late one")
    answered = _request(system_a, due_in=-timedelta(hours=30), status="done")
    page = operator.get("/admin/tenants/restorerequest/").content.decode()
    rows = [page.index(f"/restorerequest/{item.pk}/change/") for item in (answered, late, later)]
    assert rows == sorted(rows)
    assert page.count("OVERDUE") == 1 and "restore-overdue" in page


def test_the_request_list_costs_the_same_queries_for_1_or_10_requests(
    operator, system_a, django_assert_max_num_queries
):
    _request(system_a, due_in=timedelta(hours=1))
    operator.get("/admin/tenants/restorerequest/")
    with django_assert_max_num_queries(30) as one:
        response = operator.get("/admin/tenants/restorerequest/")
        assert response.status_code == 200 and "1 restore request" in response.content.decode()
    for _ in range(9):
        _request(system_a, due_in=timedelta(hours=1), status="rejected")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = operator.get("/admin/tenants/restorerequest/")
        assert response.status_code == 200 and "10 restore requests" in response.content.decode()


def test_the_backup_list_costs_the_same_queries_for_1_or_10_backups(
    operator, system_a, django_assert_max_num_queries
):
    def add(count: int) -> None:
        Backup.objects.bulk_create(
            Backup(
                system=system_a,
                system_slug="alpha",
                schema_name=system_a.schema_name,
                status=Backup.Status.OK,
            )
            for _ in range(count)
        )

    add(1)
    operator.get("/admin/tenants/backup/")
    with django_assert_max_num_queries(30) as one:
        page = operator.get("/admin/tenants/backup/").content.decode()
        assert page.count("Restore…") == 1
    add(9)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = operator.get("/admin/tenants/backup/").content.decode()
        assert page.count("Restore…") == 10


def test_the_operators_are_emailed_once_about_an_overdue_request(
    system_a, settings, django_capture_on_commit_callbacks
):
    settings.OPERATOR_EMAIL = "ops@example.com"
    late = _request(system_a, due_in=-timedelta(minutes=5))
    _request(system_a, due_in=timedelta(hours=3))
    _request(system_a, due_in=-timedelta(hours=3), status="rejected")
    with django_capture_on_commit_callbacks(execute=True):
        assert restore_requests_alert_overdue() == 1
        assert restore_requests_alert_overdue() == 0
    (alert,) = [m for m in mail.outbox if "OVERDUE" in m.subject]
    assert alert.to == ["ops@example.com"] and f"#{late.pk}" in alert.body


def test_the_operator_manages_holidays(operator):
    response = operator.post(
        "/admin/tenants/holiday/add/", {"day": "2026-12-24", "name": "Christmas Eve"}
    )
    assert response.status_code == 302
    assert Holiday.objects.get(day=date(2026, 12, 24)).name == "Christmas Eve"


def test_the_operator_answers_a_request_and_the_customer_is_told(
    operator, system_a, django_capture_on_commit_callbacks
):
    asked = _request(system_a, due_in=timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            f"/admin/tenants/restorerequest/{asked.pk}/change/",
            {"status": "rejected", "operator_note": "Nothing was lost: see the trash."},
        )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "rejected" and asked.handled_by == "op@example.com"
    (told,) = [m for m in mail.outbox if "restore request" in m.subject.lower()]
    assert told.to == ["owner@alpha.example"] and "see the trash" in told.body


def test_the_operator_restores_from_a_request_then_confirms(backups_cleanup):
    committed = backups_cleanup
    operator = committed.operator("op-restore@example.com")
    system = committed.system("bk-admin", owner="owner@bk-admin.example")
    fill(system, tickets=2)
    backup = backups.backup_request(system=system)
    backup.refresh_from_db()
    fill(system, tickets=2, prefix="Oops")
    asked = RestoreRequest.objects.create(
        system=system,
        point_in_time=timezone.now(),
        reason="Wrong import",
        due_at=datetime.now(UTC) + timedelta(hours=3),
        requested_by_label="Owner",
        requested_by_email="owner@bk-admin.example",
    )
    listing = operator.get("/admin/tenants/restorerequest/").content.decode()
    start = f"/admin/tenants/backup/{backup.pk}/restore/?request={asked.pk}"
    assert start in listing
    chosen = operator.post(
        "/admin/tenants/restorerequest/",
        {"action": "start_restore", "_selected_action": [asked.pk]},
    )
    assert chosen.status_code == 302 and chosen["Location"] == start
    page = operator.get(start).content.decode()
    assert "Other help desks are not touched" in page
    assert "How people sign in is not restored" in page and "keeps today's password" in page

    response = operator.post(f"/admin/tenants/backup/{backup.pk}/restore/", {"request": asked.pk})
    assert response.status_code == 302
    restore = Restore.objects.get(system=system)
    assert restore.status == Restore.Status.SWAPPED and restore.request == asked
    asked.refresh_from_db()
    assert asked.status == RestoreRequest.Status.DONE
    with in_schema(system := type(system).objects.get(pk=system.pk)):
        assert Ticket.objects.count() == 2
    assert checksums(system)["tickets_ticket"] == backup.manifest["tables"]["tickets_ticket"]

    # A second restore waits until this one is confirmed or swapped back.
    again = operator.post(f"/admin/tenants/backup/{backup.pk}/restore/").content.decode()
    assert "confirm it or swap back first" in again

    asking = operator.post(
        "/admin/tenants/restore/", {"action": "confirm", "_selected_action": [restore.pk]}
    )
    assert "dropped for good" in asking.content.decode()
    restore.refresh_from_db()
    assert restore.status == Restore.Status.SWAPPED  # nothing happens before "Yes"
    response = operator.post(
        "/admin/tenants/restore/",
        {"action": "confirm", "_selected_action": [restore.pk], "apply": "1"},
    )
    assert response.status_code == 302
    restore.refresh_from_db()
    assert restore.status == Restore.Status.CONFIRMED


def test_the_operator_backs_a_help_desk_up_now_from_the_systems_list(
    operator, system_a, system_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            "/admin/tenants/system/",
            {"action": "back_up_now", "_selected_action": [system_a.pk]},
            follow=True,
        )

    assert "1 backup queued" in response.content.decode()
    (made,) = Backup.objects.all()
    assert made.system_id == system_a.pk and made.kind == Backup.Kind.MANUAL
    assert made.status == Backup.Status.OK  # the task ran (eagerly, in tests)
    assert not Backup.objects.filter(system=system_b).exists()
