"""Two Systems walked through time by a real Celery worker running the daily job.

The worker runs ``system_daily`` for one System at a chosen moment (``as_of``), exactly as
beat's fan-out would; after each day we look at what a person would notice: the emails,
the audit log, and which pages each role can still reach.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils.formats import date_format
from django.utils.timezone import localtime

from accounts.models import AuditEvent, User
from tenants.billing import services as billing
from tenants.billing.models import Invoice, Plan
from tenants.lifecycle.models import LifecycleEvent, SystemDeletion
from tenants.lifecycle.tasks import system_daily
from tenants.models import System
from tests.support.tenancy import client_for, host_of, in_schema

pytestmark = pytest.mark.worker

ROLES = ("owner", "admin", "agent")


def day(worker, system: System, when: datetime) -> System:
    """Run ``system``'s daily job in the worker as if it were ``when``; wait for it."""
    with in_schema(system):
        system_daily.delay(system.pk, when.isoformat())
    worker.drain()
    worker.drain()  # and the emails the job queued
    return System.objects.filter(pk=system.pk).first()


def subjects(worker, to: str | None = None) -> list[str]:
    return [
        str(message["Subject"])
        for message in worker.mails()
        if to is None or str(message["To"]) == to
    ]


def people_of(system: System) -> dict[str, User]:
    with in_schema(system):
        return {user.role: user for user in User.objects.all()}


def reach(system: System, people: dict[str, User]) -> dict[str, dict[str, int]]:
    """What each role gets at the desk, at billing and at its own account page."""
    found = {}
    for role in ROLES:
        client = client_for(system, people[role])
        found[role] = {
            path: client.get(path).status_code for path in ("/", "/billing/", "/account/security/")
        }
    return found


def audit_actions(system: System) -> list[str]:
    with in_schema(system):
        return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_trial_reminders_then_terminated_then_deleted_after_retention(worker, committed):
    system = committed.system(
        "lc-trial",
        owner="owner@lc-trial.example",
        admin="admin@lc-trial.example",
        agent="agent@lc-trial.example",
    )
    people = people_of(system)
    ends = system.trial_ends_at
    files = Path(settings.MEDIA_ROOT) / "systems" / system.schema_name
    files.mkdir(parents=True, exist_ok=True)
    (files / "kept-until-deletion.txt").write_text("a file of this System")
    worker.drain()
    worker.clear_mail()

    day(worker, system, ends - timedelta(days=8))
    assert subjects(worker) == []
    for days_before in (7, 3, 1):
        day(worker, system, ends - timedelta(days=days_before, hours=-1))
        day(worker, system, ends - timedelta(days=days_before, hours=-2))  # the same day again
    owner_mail = subjects(worker, to="owner@lc-trial.example")
    assert owner_mail == [
        "Your trial of Lc-Trial Desk ends in 7 days",
        "Your trial of Lc-Trial Desk ends in 3 days",
        "Your trial of Lc-Trial Desk ends in 1 day",
    ]
    assert subjects(worker, to="agent@lc-trial.example") == []
    assert System.objects.get(pk=system.pk).status == System.Status.TRIAL
    assert reach(system, people)["agent"]["/"] == 200

    # The trial ends without a plan: closed, and only the owner may still come in, to
    # billing and (with the export issue) to take his data.
    worker.clear_mail()
    after = day(worker, system, ends + timedelta(hours=1))
    assert after.status == System.Status.TERMINATED
    assert after.retention_until == ends + timedelta(hours=1, days=settings.RETENTION_DAYS)
    assert subjects(worker) == ["Lc-Trial Desk is closed"]
    assert audit_actions(system)[-1] == AuditEvent.Action.SYSTEM_STATUS_CHANGED
    assert reach(system, people) == {
        "owner": {"/": 403, "/billing/": 200, "/account/security/": 200},
        "admin": {"/": 403, "/billing/": 403, "/account/security/": 200},
        "agent": {"/": 403, "/billing/": 403, "/account/security/": 200},
    }
    notice = client_for(system, people["agent"]).get("/").content.decode()
    assert "is closed" in notice and "owner@lc-trial.example" in notice
    assert Client(HTTP_HOST=host_of(system)).get("/accounts/login/").status_code == 200
    assert day(worker, system, ends + timedelta(hours=2)).status == System.Status.TERMINATED
    assert LifecycleEvent.objects.filter(system=system, to_status="terminated").count() == 1

    # A week before retention ends the owner is warned, once; then everything goes.
    worker.clear_mail()
    retention_ends = after.retention_until
    day(worker, system, retention_ends - timedelta(days=7))
    day(worker, system, retention_ends - timedelta(days=6))
    assert subjects(worker) == [
        f"Lc-Trial Desk will be deleted on {date_format(localtime(retention_ends), 'DATE_FORMAT')}",
    ]
    assert day(worker, system, retention_ends + timedelta(minutes=5)) is None
    assert subjects(worker)[-1] == "Lc-Trial Desk is deleted"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s",
            [system.schema_name],
        )
        assert cursor.fetchone()[0] == 0
    assert not files.exists()
    assert Client(HTTP_HOST=host_of(system)).get("/").status_code == 404
    record = SystemDeletion.objects.get(schema_name=system.schema_name)
    assert record.requested_by == "Billing" and "retention" in record.reason
    assert list(
        LifecycleEvent.objects.filter(system_slug="lc-trial")
        .order_by("id")
        .values_list("to_status", flat=True)
    ) == ["terminated", "deleted"]


def test_active_then_unpaid_then_suspended_then_paid_then_active(worker, committed):
    system = committed.system(
        "lc-pay",
        owner="owner@lc-pay.example",
        admin="admin@lc-pay.example",
        agent="agent@lc-pay.example",
    )
    people = people_of(system)
    plan = committed.plan(name="Journey", price_per_seat=Decimal("12.50"), seat_cap=25)
    operator = committed.operator("op@lc-pay.example")

    # The owner picks a plan: the rest of this month is invoiced at once; paying it ends
    # the trial.
    with in_schema(system):
        billing.plan_choose(actor=people["owner"], plan=plan, seat_cap=10)
    first = Invoice.objects.get(system=system)
    assert first.billed_in_advance and first.seats_billed == 3
    record = operator.post(
        f"/admin/tenants/invoice/{first.pk}/record-payment/",
        {"amount": first.amount, "paid_on": "2026-11-26", "reference": "BANK-001"},
    )
    assert record.status_code == 302
    system.refresh_from_db()
    assert system.status == System.Status.ACTIVE
    worker.drain()

    # The month after next: its invoice is issued on the 1st and nobody pays it.
    worker.clear_mail()
    month_after = (first.period_end + timedelta(days=32)).replace(day=1)
    issued_at = datetime.combine(month_after, datetime.min.time()).replace(
        tzinfo=first.issued_at.tzinfo, hour=6
    )
    day(worker, system, issued_at)
    second = Invoice.objects.get(system=system, period_start=first.period_end)
    assert subjects(worker, to="owner@lc-pay.example") == [
        f"Invoice {second.number} for Lc-Pay Desk"
    ]
    due = second.due_at
    grace = timedelta(days=settings.SUSPEND_GRACE_DAYS)

    worker.clear_mail()
    for when in (
        due + timedelta(hours=1),
        due + timedelta(hours=2),
        due + timedelta(days=7),
        due + grace - timedelta(days=1),
        due + grace - timedelta(hours=1),
    ):
        assert day(worker, system, when).status == System.Status.ACTIVE
    reminders = subjects(worker, to="admin@lc-pay.example")
    assert reminders == [
        f"Reminder: invoice {second.number} is overdue",
        f"Reminder: invoice {second.number} is overdue",
        f"Last reminder: invoice {second.number} is overdue",
    ]
    assert subjects(worker, to="agent@lc-pay.example") == []

    # Past the grace period: suspended. Owner and admins reach billing; the agent is
    # told whom to ask; nothing is gone.
    worker.clear_mail()
    suspended = day(worker, system, due + grace + timedelta(hours=1))
    assert suspended.status == System.Status.SUSPENDED
    assert sorted(subjects(worker)) == ["Lc-Pay Desk is suspended"] * 2  # owner and admin
    assert reach(system, people) == {
        "owner": {"/": 403, "/billing/": 200, "/account/security/": 200},
        "admin": {"/": 403, "/billing/": 200, "/account/security/": 200},
        "agent": {"/": 403, "/billing/": 403, "/account/security/": 200},
    }
    notice = client_for(system, people["agent"]).get("/").content.decode()
    assert "is suspended" in notice and "admin@lc-pay.example" in notice
    billing_page = client_for(system, people["owner"]).get("/billing/").content.decode()
    assert second.number in billing_page and "Bank transfer" in billing_page

    # The transfer arrives: active at once, told to the owner, work resumes.
    worker.clear_mail()
    operator.post(
        f"/admin/tenants/invoice/{second.pk}/record-payment/",
        {"amount": second.amount, "paid_on": "2027-02-01", "reference": "BANK-002"},
    )
    assert System.objects.get(pk=system.pk).status == System.Status.ACTIVE
    worker.drain()
    assert subjects(worker) == ["Lc-Pay Desk is active"]
    assert reach(system, people)["agent"] == {"/": 200, "/billing/": 403, "/account/security/": 200}
    actions = audit_actions(system)
    assert actions.count(AuditEvent.Action.INVOICE_ISSUED) == 2
    assert actions.count(AuditEvent.Action.INVOICE_PAID) == 2
    assert actions.count(AuditEvent.Action.SYSTEM_STATUS_CHANGED) == 3  # active, suspended, active
    assert list(
        LifecycleEvent.objects.filter(system=system)
        .order_by("id")
        .values_list("to_status", flat=True)
    ) == ["active", "suspended", "active"]
    assert Plan.objects.filter(pk=plan.pk).exists()
