"""Operator tools for money and lifecycle: plans, invoices and payments, System actions,
and the dashboard of MRR and Systems by status over time."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.admin_base import RecordAdmin, require_perm
from tenants.billing import charts, payments
from tenants.billing import services as billing
from tenants.billing.models import Invoice, MetricsSnapshot, Payment, Plan
from tenants.models import System


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "price_per_seat",
        "currency",
        "seat_cap",
        "trial_days",
        "backup_frequency",
        "is_active",
    )
    list_filter = ("is_active", "currency")

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is not None and not obj.systems.exists()


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ("provider", "amount", "paid_on", "reference", "recorded_by", "recorded_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RecordPaymentForm(forms.Form):
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    paid_on = forms.DateField(initial=date.today, widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        max_length=120, help_text=gettext_lazy("The bank's reference of the transfer.")
    )


@admin.register(Invoice)
class InvoiceAdmin(RecordAdmin):
    list_display = (
        "number",
        "system_slug",
        "period_start",
        "seats_billed",
        "amount",
        "currency",
        "status",
        "due_at",
        "record",
    )
    list_filter = ("status", "currency")
    search_fields = ("number", "system_slug", "customer__name")
    list_select_related = ("customer",)
    inlines = [PaymentInline]
    date_hierarchy = "issued_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Invoice._meta.fields]

    @admin.display(description="")
    def record(self, obj: Invoice) -> str:
        if obj.status != Invoice.Status.OPEN:
            return "—"
        url = reverse("admin:tenants_invoice_record_payment", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Record a transfer…"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/record-payment/",
                self.admin_site.admin_view(self.record_payment_view),
                name="tenants_invoice_record_payment",
            ),
            *super().get_urls(),
        ]

    def record_payment_view(self, request, pk: int):
        require_perm(request, "tenants.add_payment")
        invoice = get_object_or_404(Invoice, pk=pk)
        form = RecordPaymentForm(request.POST or None, initial={"amount": invoice.balance})
        if request.method == "POST" and form.is_valid():
            try:
                billing.payment_record(
                    invoice=invoice,
                    provider=payments.ManualTransfer.code,
                    recorded_by=request.user.email,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("Payment recorded on %(invoice)s.") % {"invoice": invoice},
                    messages.SUCCESS,
                )
                return redirect("admin:tenants_invoice_change", invoice.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record a bank transfer for %(invoice)s (%(balance)s %(currency)s open)")
            % {"invoice": invoice, "balance": invoice.balance, "currency": invoice.currency},
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tenants/record_payment.html", context)


class DashboardAdminMixin:
    """Mixed into SystemAdmin: the business dashboard of MRR and Systems by status."""

    def dashboard_urls(self):
        return [
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="tenants_dashboard",
            ),
        ]

    def dashboard_view(self, request):
        require_perm(request, "tenants.view_metricssnapshot")
        since = timezone.now().date() - timedelta(days=365)
        snapshots = list(MetricsSnapshot.objects.filter(day__gte=since).order_by("day"))
        currencies = sorted({c for s in snapshots for c in s.mrr})
        statuses = [s for s in System.Status.values if s != System.Status.POOLED]
        latest = snapshots[-1] if snapshots else None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Business dashboard"),
            "opts": System._meta,
            "mrr_charts": [
                (
                    currency,
                    charts.line_chart(
                        [(s.day, Decimal(s.mrr.get(currency, "0"))) for s in snapshots],
                        label=_("MRR in %(currency)s") % {"currency": currency},
                    ),
                )
                for currency in currencies
            ],
            "status_chart": charts.stacked_chart(
                [
                    (s.day, {status: s.systems_by_status.get(status, 0) for status in statuses})
                    for s in snapshots
                ],
                series=statuses,
                names={status: str(System.Status(status).label) for status in statuses},
                label=_("Systems by status"),
            ),
            "latest": latest,
            # Stored as codes; named in the reader's language.
            "latest_statuses": [
                (System.Status(status).label if status in System.Status.values else status, count)
                for status, count in (latest.systems_by_status.items() if latest else [])
            ],
        }
        return TemplateResponse(request, "admin/tenants/dashboard.html", context)
