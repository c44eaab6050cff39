"""The owner's billing page and printable invoices."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import timezone

from tenants.billing.models import Invoice
from tenants.models import System
from tests.billing.conftest import register, subscribe
from tests.factories import InvoiceFactory
from tests.support.tenancy import client_for


def test_the_owner_sees_plan_seats_and_an_empty_invoice_history(system_a, owner_a, plan):
    page = client_for(system_a, owner_a).get("/billing/").content.decode()
    assert "No plan yet" in page and "Choose a plan" in page
    assert plan.name in page
    assert "No invoices yet." in page
    assert 'aria-label="Seats in use"' in page


def test_an_admin_reads_billing_but_cannot_change_the_plan(system_a, admin_a, plan):
    client = client_for(system_a, admin_a)
    page = client.get("/billing/")
    assert page.status_code == 200 and "Save plan" not in page.content.decode()
    refused = client.post("/billing/", {"plan": plan.pk, "seat_cap": 5})
    assert refused.status_code == 403
    assert System.objects.get(pk=system_a.pk).plan_id is None


def test_agents_and_members_cannot_see_billing(system_a, agent_a):
    assert client_for(system_a, agent_a).get("/billing/").status_code == 403


def test_choosing_a_plan_in_trial_issues_the_first_invoice_and_says_how_to_pay(
    system_a, owner_a, plan
):
    register(system_a, "agent@alpha.example")
    client = client_for(system_a, owner_a)

    response = client.post("/billing/", {"plan": plan.pk, "seat_cap": 12}, follow=True)

    page = response.content.decode()
    assert "Your plan is saved." in page
    invoice = Invoice.objects.get(system=system_a)
    assert invoice.billed_in_advance and invoice.number in page
    assert "Bank transfer" in page and f"reference {invoice.number}" in page
    system = System.objects.get(pk=system_a.pk)
    assert (system.plan_id, system.seat_cap, system.status) == (plan.pk, 12, "trial")


def test_a_cap_below_the_seats_in_use_is_refused_and_keeps_what_was_typed(system_a, owner_a, plan):
    for n in range(3):
        register(system_a, f"p{n}@alpha.example")
    response = client_for(system_a, owner_a).post("/billing/", {"plan": plan.pk, "seat_cap": 2})

    assert response.status_code == 400
    page = response.content.decode()
    assert "seats are in use; deactivate people first" in page
    assert re.search(r'<input[^>]*name="seat_cap"[^>]*value="2"', page)
    assert re.search(rf'<input[^>]*value="{plan.pk}"[^>]*checked', page)
    assert not Invoice.objects.filter(system=system_a).exists()


def test_a_cap_above_the_plans_is_refused(system_a, owner_a, plan):
    response = client_for(system_a, owner_a).post("/billing/", {"plan": plan.pk, "seat_cap": 51})
    assert response.status_code == 400
    assert f"Choose between 1 and 50 seats on {plan.name}." in response.content.decode()


def test_the_printable_invoice_shows_its_lines_total_and_payments(system_a, owner_a, plan):
    subscribe(system_a, plan, timezone.now())
    invoice = InvoiceFactory(
        system=system_a,
        amount=Decimal("80.00"),
        lines=[{"text": "8 seats x 10.00", "amount": "80.00"}],
    )
    page = client_for(system_a, owner_a).get(f"/billing/invoices/{invoice.number}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert f"Invoice {invoice.number}" in body and "8 seats x 10.00" in body and "80.00" in body
    assert "css/invoice" in body  # the print stylesheet
    assert "How to pay" in body


def test_another_systems_invoice_number_is_not_found(system_a, system_b, owner_a, plan):
    subscribe(system_b, plan, timezone.now())
    theirs = InvoiceFactory(system=system_b)
    response = client_for(system_a, owner_a).get(f"/billing/invoices/{theirs.number}/")
    assert response.status_code == 404


def test_the_billing_page_costs_the_same_queries_with_3_or_30_invoices(
    system_a, owner_a, plan, django_assert_max_num_queries
):
    subscribe(system_a, plan, timezone.now())
    client = client_for(system_a, owner_a)
    InvoiceFactory.create_batch(3, system=system_a)
    client.get("/billing/")  # warm the per-process caches (terms, providers)
    with django_assert_max_num_queries(20) as few:
        client.get("/billing/")
    InvoiceFactory.create_batch(27, system=system_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/billing/")
    assert page.content.decode().count("/billing/invoices/") == 30


def test_a_second_payment_provider_is_offered_and_its_payment_activates(
    system_a, owner_a, plan, settings
):
    from tenants.billing import payments
    from tenants.billing import services as billing

    settings.PAYMENT_PROVIDERS = [
        "tenants.billing.payments.ManualTransfer",
        "tests.support.payments.CardLink",
    ]
    payments.providers.cache_clear()
    try:
        register(system_a, "agent@alpha.example")
        client = client_for(system_a, owner_a)
        page = client.post("/billing/", {"plan": plan.pk, "seat_cap": 5}, follow=True)
        invoice = Invoice.objects.get(system=system_a)
        assert f"https://pay.example/{invoice.number}" in page.content.decode()

        billing.payment_record(  # what the card provider's webhook would call
            invoice=invoice,
            amount=invoice.amount,
            paid_on=timezone.now().date(),
            reference="ch_123",
            provider=payments.provider("cardlink").code,
            recorded_by="cardlink webhook",
        )
    finally:
        payments.providers.cache_clear()
    assert System.objects.get(pk=system_a.pk).status == System.Status.ACTIVE
