"""The operator's side of money: Systems with their balance, payments, the dashboard."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tenants.billing import services as billing
from tenants.billing.metrics import snapshot_take
from tenants.billing.models import Invoice, MetricsSnapshot, Payment
from tenants.models import System
from tests.billing.conftest import register, subscribe
from tests.factories import InvoiceFactory


def test_the_systems_list_shows_status_plan_trial_end_and_balance_due(
    operator, system_a, system_b, plan, django_assert_max_num_queries
):
    subscribe(system_a, plan, timezone.now() - timedelta(days=40))
    invoice = InvoiceFactory(system=system_a, amount=Decimal("45.00"))
    InvoiceFactory(system=system_a, amount=Decimal("99.00"), status=Invoice.Status.PAID)
    billing.payment_record(
        invoice=invoice,
        amount=Decimal("15.00"),
        paid_on=timezone.now().date(),
        reference="PART-1",
        provider="manual",
        recorded_by="op@example.com",
    )

    with django_assert_max_num_queries(12):
        page = operator.get("/admin/tenants/system/").content.decode()

    assert "30.00" in page  # 45 billed, 15 paid; the paid invoice owes nothing
    assert plan.name in page and "Active" in page and "Trial" in page


def test_recording_a_transfer_pays_the_invoice_once(operator, system_a, plan):
    subscribe(system_a, plan, timezone.now() - timedelta(days=40))
    invoice = InvoiceFactory(system=system_a, amount=Decimal("30.00"))
    url = f"/admin/tenants/invoice/{invoice.pk}/record-payment/"
    form = {"amount": "30.00", "paid_on": "2026-11-20", "reference": "BANK-42"}

    first = operator.post(url, form, follow=True)
    operator.post(url, form)  # a double click

    assert "Payment recorded" in first.content.decode()
    assert Payment.objects.filter(reference="BANK-42").count() == 1
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.PAID


def test_a_bad_transfer_is_refused_and_keeps_what_was_typed(operator, system_a, plan):
    subscribe(system_a, plan, timezone.now() - timedelta(days=40))
    invoice = InvoiceFactory(system=system_a)
    response = operator.post(
        f"/admin/tenants/invoice/{invoice.pk}/record-payment/",
        {"amount": "-5", "paid_on": "2026-11-20", "reference": "BANK-43"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "BANK-43" in page and "greater than or equal to 0.01" in page
    assert not Payment.objects.exists()


def test_a_plan_in_use_cannot_be_deleted(operator, system_a, plan, big_plan):
    subscribe(system_a, plan, timezone.now())
    assert (
        operator.post(f"/admin/tenants/plan/{plan.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    operator.post(f"/admin/tenants/plan/{big_plan.pk}/delete/", {"post": "yes"})
    assert not type(big_plan).objects.filter(pk=big_plan.pk).exists()


def test_the_dashboard_charts_mrr_and_systems_by_status_over_time(operator, system_a, plan):
    subscribe(system_a, plan, timezone.now())
    for n in range(4):
        register(system_a, f"p{n}@alpha.example")
    MetricsSnapshot.objects.create(
        day=timezone.now().date() - timedelta(days=30),
        systems_by_status={"trial": 2},
        mrr={"EUR": "10.00"},
    )
    snapshot_take()

    page = operator.get("/admin/tenants/system/dashboard/").content.decode()

    assert page.count('<figure class="chart">') == 2
    assert 'aria-label="MRR in EUR"' in page and 'aria-label="Systems by status"' in page
    assert "40.00 EUR" in page  # 4 seats at 10.00 today
    assert System.objects.get(pk=system_a.pk).status == "active"


def test_the_dashboard_says_when_there_is_nothing_yet(operator):
    page = operator.get("/admin/tenants/system/dashboard/").content.decode()
    assert "No snapshot yet" in page
