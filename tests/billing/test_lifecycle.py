"""The state machine: idempotent, safe under concurrency, one System at a time, and in the
operator's hand."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEvent
from servicedesk import mail as service_mail
from tenants.billing import services as billing
from tenants.billing.models import Invoice
from tenants.lifecycle import services as lifecycle
from tenants.lifecycle.models import LifecycleEvent, LifecycleNotice
from tenants.lifecycle.tasks import systems_daily
from tenants.models import System
from tests.billing.conftest import register, subscribe
from tests.factories import InvoiceFactory
from tests.support.tenancy import client_for, in_schema


def test_a_transition_happens_once_however_often_it_is_asked(system_a, owner_a):
    made = [
        lifecycle.transition(system_id=system_a.pk, name="suspend", reason="r", actor="Billing")
        for _ in range(3)
    ]
    assert made == [True, False, False]
    assert LifecycleEvent.objects.filter(system=system_a).count() == 1
    with in_schema(system_a):
        changes = AuditEvent.objects.filter(action=AuditEvent.Action.SYSTEM_STATUS_CHANGED)
        assert [c.target_label for c in changes] == ["Trial → Suspended"]


def test_two_workers_racing_for_one_transition_make_it_once(committed):
    system = committed.system("race", owner="owner@race.example")
    start = threading.Barrier(2)
    results: list[bool] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(
                lifecycle.transition(
                    system_id=system.pk, name="terminate", reason="race", actor="Billing"
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
    assert LifecycleEvent.objects.filter(system=system).count() == 1


def test_the_daily_job_moves_the_system_whose_trial_ended_and_no_other(
    system_a, system_b, owner_a, user_b, django_capture_on_commit_callbacks
):
    System.objects.filter(pk=system_a.pk).update(trial_ends_at=timezone.now() - timedelta(hours=1))
    b_before = System.objects.get(pk=system_b.pk)

    with django_capture_on_commit_callbacks(execute=True):
        systems_daily()

    assert System.objects.get(pk=system_a.pk).status == System.Status.TERMINATED
    b_after = System.objects.get(pk=system_b.pk)
    assert (b_after.status, b_after.status_changed_at) == (
        b_before.status,
        b_before.status_changed_at,
    )
    assert not LifecycleEvent.objects.filter(system=system_b).exists()
    assert [m.to for m in mail.outbox] == [["owner@alpha.example"]]


def test_an_unpaid_first_invoice_keeps_the_trial_until_its_grace_ends(system_a, owner_a, plan):
    register(system_a, "agent@alpha.example")
    with in_schema(system_a):
        billing.plan_choose(actor=owner_a, plan=plan, seat_cap=5)
    first = Invoice.objects.get(system=system_a)
    system = System.objects.get(pk=system_a.pk)
    after_trial = system.trial_ends_at + timedelta(hours=1)

    lifecycle.trial_check(system=system, as_of=max(after_trial, first.due_at - timedelta(days=1)))
    assert System.objects.get(pk=system.pk).status == System.Status.TRIAL

    grace_over = first.due_at + timedelta(days=14, hours=1)
    lifecycle.trial_check(system=system, as_of=max(after_trial, grace_over))
    assert System.objects.get(pk=system.pk).status == System.Status.TERMINATED


def test_paying_the_first_invoice_ends_the_trial_at_once(system_a, owner_a, plan):
    register(system_a, "agent@alpha.example")  # a seat to pay for
    with in_schema(system_a):
        billing.plan_choose(actor=owner_a, plan=plan, seat_cap=5)
    first = Invoice.objects.get(system=system_a)

    billing.payment_record(
        invoice=first,
        amount=first.amount,
        paid_on=timezone.now().date(),
        reference="T-1",
        provider="manual",
        recorded_by="op@example.com",
    )

    system = System.objects.get(pk=system_a.pk)
    assert system.status == System.Status.ACTIVE and system.retention_until is None
    response = client_for(system_a, owner_a).get("/")
    assert "Trial:" not in response.content.decode()


def test_mail_stops_while_suspended_but_billing_mail_still_goes(
    system_a, owner_a, django_capture_on_commit_callbacks
):
    lifecycle.transition(system_id=system_a.pk, name="suspend", reason="r", actor="Billing")
    mail.outbox.clear()

    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        context = {"system": system_a, "reason": "x", "before": "Active"}
        context |= {"billing_url": "/", "export_url": "/", "operator_email": "op@example.com"}
        service_mail.send_templated(
            to=["owner@alpha.example"], template="system_active", context=context
        )
        assert mail.outbox == []
        service_mail.send_templated(
            to=["owner@alpha.example"], template="system_active", context=context, essential=True
        )
    assert len(mail.outbox) == 1


def test_a_suspended_system_sends_no_ticket_mail(
    system_a, owner_a, agent_a, django_capture_on_commit_callbacks
):
    from tickets.services.tickets import ticket_create

    def new_ticket_mail() -> int:
        mail.outbox.clear()
        with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
            ticket_create(actor=owner_a, subject="Printer", description="Jammed again")
        return len(mail.outbox)

    assert new_ticket_mail() > 0  # agents hear of new tickets...
    lifecycle.transition(system_id=system_a.pk, name="suspend", reason="r", actor="Billing")
    assert new_ticket_mail() == 0  # ...but not while the System is suspended


def test_a_payment_does_not_lift_a_suspension_the_operator_made(system_a, owner_a, plan):
    subscribe(system_a, plan, timezone.now() - timedelta(days=40))
    invoice = InvoiceFactory(system=system_a, due_at=timezone.now() - timedelta(days=1))
    lifecycle.system_suspend(system=system_a, reason="Spam complaints", operator="op@example.com")

    billing.payment_record(
        invoice=invoice,
        amount=invoice.amount,
        paid_on=timezone.now().date(),
        reference="T-2",
        provider="manual",
        recorded_by="op@example.com",
    )

    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.PAID
    assert System.objects.get(pk=system_a.pk).status == System.Status.SUSPENDED


def test_a_partial_payment_leaves_the_invoice_open_with_what_is_left(system_a, plan):
    subscribe(system_a, plan, timezone.now() - timedelta(days=40))
    invoice = InvoiceFactory(system=system_a, amount=Decimal("30.00"))
    for reference in ("P-1", "P-1 "):  # the same transfer keyed in twice
        billing.payment_record(
            invoice=invoice,
            amount=Decimal("10.00"),
            paid_on=timezone.now().date(),
            reference=reference,
            provider="manual",
            recorded_by="op@example.com",
        )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.OPEN and invoice.balance == Decimal("20.00")


def test_the_operator_suspends_resumes_and_terminates_with_a_reason(
    system_a, owner_a, operator, django_capture_on_commit_callbacks
):
    url = f"/admin/tenants/system/{system_a.pk}/lifecycle/"

    refused = operator.post(url, {"action": "suspend", "reason": "  "})
    assert refused.status_code == 200 and "Give the reason" in refused.content.decode()
    assert System.objects.get(pk=system_a.pk).status == System.Status.TRIAL

    for action, status in (
        ("suspend", "suspended"),
        ("resume", "active"),
        ("terminate", "terminated"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = operator.post(
                url, {"action": action, "reason": f"Because {action}"}, follow=True
            )
        assert "the owner is told" in response.content.decode()
        assert System.objects.get(pk=system_a.pk).status == status
    again = operator.post(url, {"action": "terminate", "reason": "again"}, follow=True)
    assert "Nothing to do" in again.content.decode()
    events = LifecycleEvent.objects.filter(system=system_a).order_by("id")
    assert [(e.to_status, e.actor) for e in events] == [
        ("suspended", "Operator (op@example.com)"),
        ("active", "Operator (op@example.com)"),
        ("terminated", "Operator (op@example.com)"),
    ]
    assert {m.subject for m in mail.outbox} >= {
        f"{system_a.name} is suspended",
        f"{system_a.name} is active",
        f"{system_a.name} is closed",
    }


def test_extending_a_trial_moves_its_end_and_the_reminders_count_down_again(
    system_a, owner_a, operator, django_capture_on_commit_callbacks
):
    system = System.objects.get(pk=system_a.pk)
    ends = system.trial_ends_at
    lifecycle.trial_check(system=system, as_of=ends - timedelta(days=2))
    assert LifecycleNotice.objects.filter(system=system, kind="trial_ends").exists()

    with django_capture_on_commit_callbacks(execute=True):
        operator.post(
            f"/admin/tenants/system/{system.pk}/lifecycle/", {"action": "extend", "days": 10}
        )

    system.refresh_from_db()
    assert system.trial_ends_at >= ends + timedelta(days=10) - timedelta(minutes=1)
    assert not LifecycleNotice.objects.filter(system=system, kind="trial_ends").exists()
    assert any("extended" in m.subject for m in mail.outbox)


def test_the_trial_banner_counts_the_days_left(system_a, owner_a):
    System.objects.filter(pk=system_a.pk).update(
        trial_ends_at=timezone.now() + timedelta(days=3, hours=2)
    )
    page = client_for(system_a, owner_a).get("/").content.decode()
    assert "Trial: 3 days left." in page


def test_the_trial_length_is_the_entry_plans(db, plan):
    from tenants.onboarding import services as onboarding
    from tests.factories import CustomerFactory

    plan.trial_days = 30
    plan.save()
    with time_machine.travel(timezone.now(), tick=False):
        system = onboarding.system_create(
            customer=CustomerFactory(), name="Trial Length", slug="trial-length"
        )
        assert system.trial_ends_at == system.claimed_at + timedelta(days=30)


def test_a_free_plan_needs_no_payment_to_end_the_trial(system_a, owner_a, plan):
    plan.price_per_seat = Decimal("0.00")
    plan.save()
    register(system_a, "agent@alpha.example")
    with in_schema(system_a):
        billing.plan_choose(actor=owner_a, plan=plan, seat_cap=5)
    (invoice,) = Invoice.objects.filter(system=system_a)
    assert invoice.amount == 0 and invoice.status == Invoice.Status.PAID
    assert System.objects.get(pk=system_a.pk).status == System.Status.ACTIVE
