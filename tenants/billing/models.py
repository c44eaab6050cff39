"""Plans, invoices, payments, and the snapshots the operator's dashboard draws."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models.tenancy import Customer, System


class Plan(models.Model):
    class BackupFrequency(models.TextChoices):
        HOURLY = "hourly", _("Every hour")
        TWICE_DAILY = "twice_daily", _("Twice a day")
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week")

    name = models.CharField(max_length=80, unique=True)
    price_per_seat = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Per seat per month."),
    )
    currency = models.CharField(max_length=3, default="EUR")
    seat_cap = models.PositiveIntegerField(
        help_text=_("The most seats a System may hold on this plan.")
    )
    storage_quota_mb = models.PositiveIntegerField(default=10_240)
    trial_days = models.PositiveSmallIntegerField(default=14)
    backup_frequency = models.CharField(
        max_length=12, choices=BackupFrequency.choices, default=BackupFrequency.DAILY
    )
    is_active = models.BooleanField(default=True, help_text=_("Offered to new subscriptions."))

    class Meta:
        ordering = ["price_per_seat", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.price_per_seat} {self.currency}/seat/month)"


class PlanChange(models.Model):
    """From this moment the System was on this plan at this price (for prorating)."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="plan_changes")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    price_per_seat = models.DecimalField(max_digits=10, decimal_places=2)
    seat_cap = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    by = models.CharField(max_length=200)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.system}: {self.plan} from {self.at:%Y-%m-%d}"


class InvoiceCounter(models.Model):
    """The last invoice number of a year, locked while an invoice takes the next one, so
    numbers have no gaps: a rolled-back invoice gives its number back."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Invoice(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAID = "paid", _("Paid")
        VOID = "void", _("Void")

    number = models.CharField(max_length=20, unique=True)
    # Invoices outlive their System (the operator keeps them after a deletion).
    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, related_name="invoices"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="invoices")
    system_name = models.CharField(max_length=200)
    system_slug = models.CharField(max_length=63)
    period_start = models.DateField()
    period_end = models.DateField(help_text=_("Exclusive."))
    seats_billed = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    lines = models.JSONField(default=list, help_text=_("What the amount is made of."))
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    billed_in_advance = models.BooleanField(
        default=False, help_text=_("The first invoice, issued when the plan is chosen.")
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    issued_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "period_start"], name="tenants_one_invoice_per_period"
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="tenants_invoice_due_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def last_day(self) -> date:
        """The period's last day (``period_end`` is the first day after it)."""
        return self.period_end - timedelta(days=1)

    @property
    def paid_amount(self) -> Decimal:
        return sum((p.amount for p in self.payments.all()), Decimal("0"))

    @property
    def balance(self) -> Decimal:
        return self.amount - self.paid_amount if self.status == self.Status.OPEN else Decimal("0")


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=40)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid_on = models.DateField()
    reference = models.CharField(max_length=120, help_text=_("Bank reference or provider id."))
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            # The same payment can't be recorded twice (a retried webhook, a double click).
            models.UniqueConstraint(fields=["provider", "reference"], name="tenants_payment_once")
        ]

    def __str__(self) -> str:
        return f"{self.amount} on {self.invoice} ({self.reference})"


class MetricsSnapshot(models.Model):
    """One row a day: Systems by status and monthly recurring revenue, for the charts."""

    day = models.DateField(unique=True)
    systems_by_status = models.JSONField(default=dict)
    mrr = models.JSONField(default=dict, help_text=_("Per currency, as strings."))
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return str(self.day)
