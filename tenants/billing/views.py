"""The owner's billing page and printable invoices, inside the System."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Perm, can, require
from servicedesk.forms import Form, add_errors
from servicedesk.http import client_ip
from tenants import storage
from tenants.billing import payments, selectors
from tenants.billing import services as billing
from tenants.billing.models import Invoice, Plan


class PlanForm(Form):
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.filter(is_active=True), widget=forms.RadioSelect, empty_label=None
    )
    seat_cap = forms.IntegerField(
        label=gettext_lazy("Seats"),
        min_value=1,
        help_text=gettext_lazy("The most accounts your help desk may hold."),
    )


@login_required
def billing_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.VIEW_BILLING)
    system = request.system
    form = PlanForm(initial={"plan": system.plan_id, "seat_cap": system.seat_cap})
    if request.method == "POST":
        require(request.user, Perm.MANAGE_BILLING)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                billing.plan_choose(
                    actor=request.user,
                    plan=form.cleaned_data["plan"],
                    seat_cap=form.cleaned_data["seat_cap"],
                    ip=client_ip(request),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your plan is saved."))
                return redirect("billing")
    invoices = selectors.invoices_of(system=system)
    open_invoices = [invoice for invoice in invoices if invoice.status == Invoice.Status.OPEN]
    return render(
        request,
        "tenants/billing.html",
        {
            "form": form,
            "invoices": invoices,
            "open_invoices": open_invoices,
            "instructions": [
                (provider.label, provider.instructions(invoice))
                for invoice in open_invoices
                for provider in payments.providers()
            ],
            "estimate": billing.estimate_next(system=system, as_of=timezone.now()),
            "storage": storage.usage_of(system),
            "can_manage": can(request.user, Perm.MANAGE_BILLING),
            "plans": Plan.objects.filter(is_active=True),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def invoice_page(request: HttpRequest, invoice_number: str) -> HttpResponse:
    require(request.user, Perm.VIEW_BILLING)
    invoice = selectors.invoice_of(system=request.system, number=invoice_number)
    if invoice is None:
        raise Http404("No such invoice.")
    return render(
        request,
        "tenants/invoice.html",
        {
            "invoice": invoice,
            "instructions": [(p.label, p.instructions(invoice)) for p in payments.providers()],
        },
    )
