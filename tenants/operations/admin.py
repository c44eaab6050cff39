"""The operator's page of a System: status, plan and seats at a glance, and every tool
that acts on one System (account suspension, data access, lifecycle, backups)."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.services import operator as operator_services
from accounts.services.seats import seat_cap_check
from servicedesk.admin_base import require_perm
from tenants.backups.services import backups
from tenants.billing.admin import DashboardAdminMixin
from tenants.billing.models import Invoice, Payment
from tenants.lifecycle.admin import LifecycleAdminMixin
from tenants.models import System
from tenants.operations.access import OperatorAccessAdminMixin


class SuspendAccountForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Account email in this System"))
    action = forms.ChoiceField(
        choices=[
            ("suspend", gettext_lazy("Suspend the account")),
            ("unsuspend", gettext_lazy("Lift its suspension")),
        ]
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy(
            "Shown to the person when they try to sign in. Required to suspend."
        ),
    )


class SystemAdminForm(forms.ModelForm):
    class Meta:
        model = System
        fields = ["seat_cap"]

    def clean_seat_cap(self) -> int:
        cap = self.cleaned_data["seat_cap"]
        if self.instance.pk and cap != self.instance.seat_cap:
            try:
                seat_cap_check(system=self.instance, cap=cap)
            except ValidationError as error:
                raise ValidationError(error.message_dict["seat_cap"]) from None
        return cap


@admin.register(System)
class SystemAdmin(
    OperatorAccessAdminMixin, LifecycleAdminMixin, DashboardAdminMixin, admin.ModelAdmin
):
    list_display = (
        "__str__",
        "name",
        "customer",
        "status",
        "plan",
        "owner_email",
        "seats",
        "trial_ends_at",
        "balance_due",
    )
    list_filter = ("status",)
    search_fields = ("slug", "name", "customer__name", "owner_email", "domains__domain")
    list_select_related = ("customer", "plan")
    fields = (
        "slug",
        "name",
        "customer",
        "status",
        "status_reason",
        "plan",
        "trial_ends_at",
        "retention_until",
        "owner_email",
        "seats_used",
        "seat_cap",
        "idle_timeout_minutes",
        "invite_expiry_days",
        "domain_list",
        "schema_name",
        "created_at",
        "claimed_at",
        "account_tools",
    )
    readonly_fields = tuple(f for f in fields if f != "seat_cap")
    form = SystemAdminForm
    actions = ["back_up_now"]

    def has_back_up_permission(self, request) -> bool:
        return request.user.has_perm("tenants.add_backup")

    @admin.action(
        description=gettext_lazy("Back up now (besides the scheduled backups)"),
        permissions=["back_up"],
    )
    def back_up_now(self, request, queryset) -> None:
        systems = list(queryset.exclude(status=System.Status.POOLED))
        for system in systems:
            backups.backup_request(system=system)
        self.message_user(
            request,
            ngettext(
                "%(count)s backup queued; it appears under Backups when complete.",
                "%(count)s backups queued; they appear under Backups when complete.",
                len(systems),
            )
            % {"count": len(systems)},
            messages.SUCCESS,
        )

    @admin.display(description=gettext_lazy("Domains"))
    def domain_list(self, obj: System) -> str:
        return ", ".join(domain.domain for domain in obj.domains.all()) or "—"

    @admin.display(description=gettext_lazy("Seats used / cap"))
    def seats(self, obj: System) -> str:
        return f"{obj.seats_used} / {obj.seat_cap}"

    @admin.display(description=gettext_lazy("Balance due"), ordering="balance")
    def balance_due(self, obj: System) -> str:
        return f"{obj.balance:.2f}" if obj.balance else "—"

    @admin.display(description=gettext_lazy("Tools"))
    def account_tools(self, obj: System) -> str:
        if not obj.pk:
            return "—"
        suspend = reverse("admin:tenants_system_suspend_account", args=[obj.pk])
        access = reverse("admin:tenants_system_access", args=[obj.pk])
        status = reverse("admin:tenants_system_lifecycle", args=[obj.pk])
        return format_html(
            '<a class="button" href="{}">{}</a> '
            '<a class="button" href="{}">{}</a> '
            '<a class="button" href="{}">{}</a>',
            suspend,
            _("Suspend or restore an account…"),
            access,
            _("Access this System…"),
            status,
            _("Suspend, resume, terminate, extend trial…"),
        )

    def get_queryset(self, request):
        billed = (
            Invoice.objects.filter(system=OuterRef("pk"), status=Invoice.Status.OPEN)
            .values("system")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        paid = (
            Payment.objects.filter(
                invoice__system=OuterRef("pk"), invoice__status=Invoice.Status.OPEN
            )
            .values("invoice__system")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        zero = Value(Decimal("0.00"))
        return (
            super()
            .get_queryset(request)
            .exclude(status=System.Status.POOLED)
            .annotate(balance=Coalesce(Subquery(billed), zero) - Coalesce(Subquery(paid), zero))
        )

    def has_add_permission(self, request) -> bool:
        # Systems are made by signups (tenants.onboarding.services.system_create), never by hand.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if "seat_cap" in form.changed_data:
            operator_services.seat_cap_set(
                system=obj, cap=form.cleaned_data["seat_cap"], operator=request.user.email
            )

    def get_urls(self):
        return [
            path(
                "<int:pk>/suspend-account/",
                self.admin_site.admin_view(self.suspend_account_view),
                name="tenants_system_suspend_account",
            ),
            *self.access_urls(),
            *self.lifecycle_urls(),
            *self.dashboard_urls(),
            *super().get_urls(),
        ]

    def suspend_account_view(self, request, pk: int):
        require_perm(request, "tenants.suspend_person")
        system = get_object_or_404(System, pk=pk)
        form = SuspendAccountForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "suspend":
                    operator_services.user_suspend(
                        system=system,
                        email=data["email"],
                        reason=data["reason"],
                        operator=request.user.email,
                    )
                else:
                    operator_services.user_unsuspend(
                        system=system, email=data["email"], operator=request.user.email
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("Done for %(email)s in %(system)s.")
                    % {"email": data["email"], "system": system},
                    messages.SUCCESS,
                )
                return redirect("admin:tenants_system_change", system.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Suspend or restore an account in %(system)s") % {"system": system},
            "system": system,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tenants/suspend_account.html", context)
