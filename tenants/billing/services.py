"""Plans, invoices and payments.

Monthly calendar periods. An invoice bills the peak number of seats held during its period
(from the System's SeatEvent ledger) at the plan's price, prorated by days for plan
changes. Exactly one invoice per System and period however often the job runs (a unique
constraint, checked under the System's row lock), numbered ``INV-2026-000123`` without gaps
(the year's counter row is locked by the invoice that takes the next number, and a
rolled-back invoice gives it back). The first invoice is issued when a trial System
chooses its plan, for the rest of that month; paying it makes the System active.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import AuditEvent, SeatEvent, User
from accounts.permissions import Perm, require
from accounts.selectors import owner_emails
from accounts.services.audit import actor_label, audit_record
from accounts.services.seats import seat_cap_check
from servicedesk import mail
from servicedesk.schema import current_schema
from tenants import selectors
from tenants.billing.models import Invoice, InvoiceCounter, Payment, Plan, PlanChange
from tenants.models import System

CENT = Decimal("0.01")
TIMES = "\u00d7"  # the multiplication sign, as an invoice prints it

# Sent inside the transaction that creates an invoice, before it commits (for tests that
# need to fail at exactly that point, and for integrations that add lines).
invoice_created = Signal()
# Sent in the transaction that records the payment settling an invoice.
invoice_paid = Signal()
BILLING = "Billing"  # who made the automatic changes, in events and audit rows


def month_of(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def peak_seats(*, system: System, start: datetime, end: datetime) -> int:
    """The most seats held at any moment in [start, end): the count carried in from before
    the period, or any count reached inside it."""

    with schema_context(system.schema_name):
        before = (
            SeatEvent.objects.filter(created_at__lt=start).order_by("-created_at", "-id").first()
        )
        inside = SeatEvent.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
            peak=Max("seats_after")
        )["peak"]
    return max(before.seats_after if before else 0, inside or 0)


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    plan_name: str
    price: Decimal


def plan_segments(*, system: System, start: datetime, end: datetime) -> list[Segment]:
    """The stretches of [start, end) spent on each plan and price."""
    changes = list(system.plan_changes.select_related("plan").order_by("at", "id"))
    segments: list[Segment] = []
    for index, change in enumerate(changes):
        seg_start = max(change.at, start)
        seg_end = min(changes[index + 1].at if index + 1 < len(changes) else end, end)
        if seg_start < seg_end:
            segments.append(Segment(seg_start, seg_end, change.plan.name, change.price_per_seat))
    return segments


def price(
    *, system: System, start: datetime, end: datetime, seats: int, period_days: int
) -> tuple[list[dict], Decimal]:
    """Invoice lines and total for ``seats`` over [start, end) of a ``period_days`` month."""
    lines, total = [], Decimal("0")
    for segment in plan_segments(system=system, start=start, end=end):
        days = Decimal((segment.end - segment.start).total_seconds()) / Decimal(86400)
        share = days / Decimal(period_days)
        amount = (segment.price * seats * share).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(
            {
                "text": f"{segment.plan_name}: {seats} seat{'s' if seats != 1 else ''}"
                f" {TIMES} {segment.price} {TIMES} "
                f"{days.quantize(Decimal('0.01'))}/{period_days} days",
                "from": segment.start.date().isoformat(),
                "to": segment.end.date().isoformat(),
                "amount": str(amount),
            }
        )
        total += amount
    return lines, total


def _next_number(year: int) -> str:
    counter, _created = InvoiceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"INV-{year}-{counter.last:06d}"


@transaction.atomic
def invoice_issue(
    *,
    system: System,
    period_start: date,
    period_end: date,
    as_of: datetime,
    in_advance: bool = False,
) -> Invoice | None:
    """Issue the invoice of ``system`` for [period_start, period_end), once. Returns None
    when it exists already (or there is nothing to bill)."""
    system = (
        System.objects.select_for_update(of=("self",))
        .select_related("customer", "plan")
        .get(pk=system.pk)
    )
    if Invoice.objects.filter(system=system, period_start=period_start).exists():
        return None
    start = max(_midnight(period_start), system.plan_started_at or _midnight(period_start))
    end = _midnight(period_end)
    plan, customer = system.plan, system.customer
    if start >= end or plan is None or customer is None:
        return None
    seats = peak_seats(system=system, start=start, end=end)
    period_days = (period_end - period_start).days
    lines, total = price(system=system, start=start, end=end, seats=seats, period_days=period_days)
    # The month right after an invoice billed in advance settles that month's later seats.
    previous = Invoice.objects.filter(
        system=system, period_end=period_start, billed_in_advance=True
    ).first()
    if previous is not None and not in_advance:
        lines, total = _true_up(system, previous, lines, total)
    invoice = Invoice.objects.create(
        number=_next_number(as_of.year),
        system=system,
        customer=customer,
        system_name=system.name,
        system_slug=system.slug or "",
        period_start=period_start,
        period_end=period_end,
        seats_billed=seats,
        currency=plan.currency,
        lines=lines,
        amount=total,
        billed_in_advance=in_advance,
        issued_at=as_of,
        due_at=as_of + timedelta(days=settings.INVOICE_DUE_DAYS),
    )
    invoice_created.send(sender=Invoice, invoice=invoice)
    with schema_context(system.schema_name):
        audit_record(
            action=AuditEvent.Action.INVOICE_ISSUED,
            actor_label_override=BILLING,
            target=invoice.number,
            detail={"amount": str(total), "currency": invoice.currency, "seats": seats},
        )
        mail.send_templated(
            to=owner_emails(system=system),
            template="invoice",
            essential=True,
            context={
                "system": system,
                "invoice": invoice,
                "invoice_url": selectors.system_url(
                    system=system, path=f"/billing/invoices/{invoice.number}/"
                ),
            },
        )
    if total == 0:  # a free plan, or no seats yet: nothing to pay, nothing to wait for
        invoice.status = Invoice.Status.PAID
        invoice.paid_at = as_of
        invoice.save(update_fields=["status", "paid_at"])
        _after_paid(invoice)
    return invoice


def _true_up(
    system: System, previous: Invoice, lines: list[dict], total: Decimal
) -> tuple[list[dict], Decimal]:
    """An invoice billed in advance counted the seats of its first day; bill the rest of
    that period's peak now, once (the true-up is marked on the previous invoice's period)."""
    start = max(
        _midnight(previous.period_start), system.plan_started_at or _midnight(previous.period_start)
    )
    end = _midnight(previous.period_end)
    actual = peak_seats(system=system, start=start, end=end)
    if actual <= previous.seats_billed:
        return lines, total
    extra = actual - previous.seats_billed
    period_days = (previous.period_end - previous.period_start).days
    extra_lines, extra_total = price(
        system=system, start=start, end=end, seats=extra, period_days=period_days
    )
    for line in extra_lines:
        line["text"] = f"Seats added after {previous.number}: " + line["text"]
        line["true_up"] = previous.number
    return lines + extra_lines, total + extra_total


def invoices_issue_due(*, system: System, as_of: datetime) -> list[Invoice]:
    """Every finished month since the plan started that has no invoice yet."""
    if system.plan_started_at is None:
        return []
    issued = []
    start, end = month_of(system.plan_started_at.date())
    while _midnight(end) <= as_of:
        invoice = invoice_issue(system=system, period_start=start, period_end=end, as_of=as_of)
        if invoice is not None:
            issued.append(invoice)
        start, end = month_of(end)
    return issued


@transaction.atomic
def plan_choose(
    *, actor: User, plan: Plan, seat_cap: int | None = None, ip: str | None = None
) -> System:
    """The owner picks a plan (or changes it, or his seat cap): effective now, prorated.

    In trial this issues the first invoice, for the rest of this month; paying it makes
    the System active.
    """
    require(actor, Perm.MANAGE_BILLING)
    if not plan.is_active:
        raise ValidationError({"plan": _("That plan is no longer offered.")})
    system = System.objects.select_for_update().get(schema_name=current_schema())
    cap = seat_cap if seat_cap is not None else plan.seat_cap
    seat_cap_check(system=system, cap=cap, most=plan.seat_cap, plan_name=plan.name)
    now = timezone.now()
    changed_plan = system.plan_id != plan.pk
    first = system.plan_id is None
    system.plan = plan
    system.seat_cap = cap
    if first:
        system.plan_started_at = now
    system.save(update_fields=["plan", "seat_cap", "plan_started_at"])
    if changed_plan:
        PlanChange.objects.create(
            system=system,
            plan=plan,
            price_per_seat=plan.price_per_seat,
            seat_cap=cap,
            at=now,
            by=actor_label(actor),
        )
    audit_record(
        action=AuditEvent.Action.PLAN_CHANGED,
        actor=actor,
        target=plan.name,
        ip=ip,
        detail={"seat_cap": cap},
    )
    if first and system.status == System.Status.TRIAL:
        start, end = month_of(now.date())
        invoice_issue(system=system, period_start=start, period_end=end, as_of=now, in_advance=True)
    return system


class PaymentError(ValidationError):
    pass


@transaction.atomic
def payment_record(
    *,
    invoice: Invoice,
    amount: Decimal,
    paid_on: date,
    reference: str,
    provider: str,
    recorded_by: str,
) -> Payment:
    """Money arrived for ``invoice`` (from any provider). Recording the same provider
    reference twice records it once. A paid invoice may activate its System."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    reference = reference.strip()
    if amount <= 0:
        raise PaymentError("The amount must be positive.")
    existing = Payment.objects.filter(provider=provider, reference=reference).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                invoice=invoice,
                provider=provider,
                amount=amount.quantize(CENT),
                paid_on=paid_on,
                reference=reference,
                recorded_by=recorded_by,
            )
    except IntegrityError:  # the same reference, recorded at this very moment elsewhere
        return Payment.objects.get(provider=provider, reference=reference)
    if invoice.status == Invoice.Status.OPEN and invoice.paid_amount >= invoice.amount:
        invoice.status = Invoice.Status.PAID
        invoice.paid_at = timezone.now()
        invoice.save(update_fields=["status", "paid_at"])
        _after_paid(invoice)
    return payment


def _after_paid(invoice: Invoice) -> None:
    system = invoice.system
    if system is None:
        return
    with schema_context(system.schema_name):
        audit_record(
            action=AuditEvent.Action.INVOICE_PAID,
            actor_label_override=BILLING,
            target=invoice.number,
            detail={"amount": str(invoice.amount), "currency": invoice.currency},
        )
    # The lifecycle activates a trial or lifts a billing suspension (tenants.apps wires it).
    invoice_paid.send(sender=Invoice, invoice=invoice)


def estimate_next(*, system: System, as_of: datetime) -> tuple[Decimal, int, str] | None:
    """What this month's invoice would say today: amount, seats so far, currency."""
    plan = system.plan
    if plan is None:
        return None
    start, end = month_of(as_of.date())
    if Invoice.objects.filter(system=system, period_start=start).exists():
        start, end = month_of(end)
    begin = max(_midnight(start), system.plan_started_at or _midnight(start))
    seats = (
        peak_seats(system=system, start=begin, end=min(as_of, _midnight(end))) or system.seats_used
    )
    _lines, total = price(
        system=system, start=begin, end=_midnight(end), seats=seats, period_days=(end - start).days
    )
    return total, seats, plan.currency
