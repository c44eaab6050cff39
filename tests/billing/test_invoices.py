"""Invoices: the peak seats of a month at the plan's price, once per period, no gaps."""

from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from accounts.services.seats import user_deactivate
from tenants.billing import services as billing
from tenants.billing.models import Invoice, InvoiceCounter, PlanChange
from tenants.lifecycle.tasks import systems_daily
from tests.billing.conftest import at, register, subscribe
from tests.support.tenancy import in_schema


@pytest.fixture
def a_on_plan(system_a, plan):
    return subscribe(system_a, plan, at("2026-09-15T09:00:00"))


def test_seats_3_then_8_then_4_within_a_month_bills_8(
    a_on_plan, system_a, django_capture_on_commit_callbacks
):
    owner = register(system_a, "o@alpha.example", role="owner", when=at("2026-10-02T10:00:00"))
    people = [
        register(system_a, f"p{n}@alpha.example", when=at("2026-10-02T11:00:00")) for n in range(2)
    ]
    people += [
        register(system_a, f"q{n}@alpha.example", when=at("2026-10-10T11:00:00")) for n in range(5)
    ]
    with time_machine.travel(at("2026-10-20T12:00:00"), tick=False), in_schema(system_a):
        for person in people[:4]:
            user_deactivate(actor=owner, user=person)

    with django_capture_on_commit_callbacks(execute=True):
        (october,) = [
            i
            for i in billing.invoices_issue_due(system=a_on_plan, as_of=at("2026-11-01T06:00:00"))
            if i.period_start.month == 10
        ]

    assert october.seats_billed == 8
    assert october.amount == Decimal("80.00")  # 8 seats x 10.00 x the whole month
    assert october.currency == "EUR" and october.status == "open"
    assert any(m.subject == f"Invoice {october.number} for {system_a.name}" for m in mail.outbox)


def test_running_the_job_three_times_makes_one_invoice(a_on_plan, system_a):
    register(system_a, "o@alpha.example", role="owner", when=at("2026-10-02T10:00:00"))
    for _ in range(3):
        systems_daily(as_of="2026-11-01T06:00:00+00:00")
    assert Invoice.objects.filter(system=system_a, period_start="2026-10-01").count() == 1
    # September (from the 15th, when the plan started) got its own, once too.
    assert Invoice.objects.filter(system=system_a).count() == 2


def test_a_job_that_crashes_before_commit_leaves_nothing_and_the_retry_numbers_without_gap(
    a_on_plan, system_a, system_b, plan
):
    register(system_a, "o@alpha.example", role="owner", when=at("2026-10-02T10:00:00"))
    subscribe(system_b, plan, at("2026-09-01T00:00:00"))
    crashed = []

    def crash_once(sender, invoice, **kwargs):
        if not crashed:
            crashed.append(invoice.number)
            raise RuntimeError("worker killed")

    billing.invoice_created.connect(crash_once)
    try:
        with pytest.raises(RuntimeError):
            billing.invoices_issue_due(system=a_on_plan, as_of=at("2026-10-01T06:00:00"))
        assert not Invoice.objects.filter(system=system_a).exists()
        retried = billing.invoices_issue_due(system=a_on_plan, as_of=at("2026-10-01T06:00:00"))
        again = billing.invoices_issue_due(system=a_on_plan, as_of=at("2026-10-01T06:00:00"))
    finally:
        billing.invoice_created.disconnect(crash_once)
    other = billing.invoices_issue_due(system=system_b, as_of=at("2026-10-01T06:00:00"))

    assert [i.number for i in retried] == crashed  # the rolled-back number was given back
    assert again == []
    assert [i.number for i in other] == ["INV-2026-000002"]
    assert InvoiceCounter.objects.get(year=2026).last == 2


def test_a_plan_change_mid_month_is_prorated_by_days(system_a, plan, big_plan):
    subscribe(system_a, plan, at("2026-10-01T00:00:00"))
    register(system_a, "o@alpha.example", role="owner", when=at("2026-10-01T01:00:00"))
    register(system_a, "a@alpha.example", when=at("2026-10-01T01:00:00"))
    PlanChange.objects.create(
        system=system_a,
        plan=big_plan,
        price_per_seat=big_plan.price_per_seat,
        seat_cap=200,
        at=at("2026-10-17T00:00:00"),
        by="test",
    )

    (invoice,) = billing.invoices_issue_due(system=system_a, as_of=at("2026-11-01T00:00:00"))

    # 2 seats: 16 days x 10.00 + 15 days x 20.00, over 31 days.
    assert invoice.amount == (Decimal("2") * 10 * 16 / 31).quantize(Decimal("0.01")) + (
        Decimal("2") * 20 * 15 / 31
    ).quantize(Decimal("0.01"))
    assert [line["amount"] for line in invoice.lines] == ["10.32", "19.35"]


def test_numbers_follow_each_other_across_systems(system_a, system_b, plan):
    subscribe(system_a, plan, at("2026-08-01T00:00:00"))
    subscribe(system_b, plan, at("2026-08-01T00:00:00"))
    first = billing.invoices_issue_due(system=system_a, as_of=at("2026-10-01T00:00:00"))
    second = billing.invoices_issue_due(system=system_b, as_of=at("2026-10-01T00:00:00"))
    assert [i.number for i in first + second] == [f"INV-2026-{n:06d}" for n in range(1, 5)]


def test_the_first_invoice_is_billed_in_advance_and_the_next_month_settles_later_seats(
    system_a, plan, owner_a
):
    register(system_a, "one@alpha.example", when=at("2026-10-05T08:00:00"))
    with time_machine.travel(at("2026-10-16T12:00:00"), tick=False), in_schema(system_a):
        billing.plan_choose(actor=owner_a, plan=plan, seat_cap=20)
    first = Invoice.objects.get(system=system_a)
    assert first.billed_in_advance and first.period_start.isoformat() == "2026-10-01"
    register(
        system_a, "two@alpha.example", when=at("2026-10-20T08:00:00")
    )  # after paying in advance
    system_a.refresh_from_db()

    (november,) = billing.invoices_issue_due(system=system_a, as_of=at("2026-12-01T00:00:00"))

    assert november.period_start.isoformat() == "2026-11-01"
    assert any(line.get("true_up") == first.number for line in november.lines)
