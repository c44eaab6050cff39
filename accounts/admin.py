from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountDispute, SecurityReport, User
from accounts.services import operator as operator_services
from accounts.services.security import security_report_answer
from servicedesk.admin_base import require_perm


@admin.register(User)
class OperatorAdmin(BaseUserAdmin):
    """Operators: the accounts of the public schema, who sign in to this admin."""

    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_superuser", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups",)

    def get_readonly_fields(self, request, obj=None):
        # Who may do what is the superuser's to decide: an operator allowed to edit
        # accounts must not be able to give himself (or anyone) more.
        if request.user.is_superuser:
            return ()
        return ("is_staff", "is_superuser", "groups", "user_permissions")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Operators are deactivated, never deleted: their actions stay attributable, and a
        # delete would cascade into tables that exist only in Systems' schemas.
        return False


@admin.register(SecurityReport)
class SecurityReportAdmin(admin.ModelAdmin):
    list_display = ("created_at", "system", "user_email", "status", "resolved_at")
    list_filter = ("status",)
    search_fields = ("user_email", "system__slug")
    list_select_related = ("system",)
    readonly_fields = (
        "system",
        "user_id_in_system",
        "user_email",
        "created_at",
        "ip",
        "user_agent",
    )
    fields = (*readonly_fields, "status", "resolution", "operator_notes", "resolved_at")

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "resolved_at")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["resolution"].help_text = _(
            "The answer the person reads on his security page, and by email."
        )
        form.base_fields["operator_notes"].help_text = _("Internal: never shown to the person.")
        return form

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        security_report_answer(
            report=obj,
            status=form.cleaned_data["status"],
            resolution=form.cleaned_data["resolution"],
            operator_notes=form.cleaned_data["operator_notes"],
            operator=request.user.email,
        )


class DecideForm(forms.Form):
    decision = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    new_owner_email = forms.EmailField(
        required=False,
        help_text=_(
            "If the decision gives the System to another account, its email. "
            "Ownership is transferred at once."
        ),
    )


@admin.register(AccountDispute)
class AccountDisputeAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "system",
        "account_email",
        "claimant_email",
        "confirmed_at",
        "status",
    )
    list_filter = ("status", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("account_email", "claimant_email", "system__slug")
    list_select_related = ("system",)
    fields = (
        "system",
        "claimant_name",
        "claimant_email",
        "account_email",
        "claim",
        "evidence",
        "confirmed_at",
        "status",
        "decision",
        "new_owner_email",
        "decided_at",
        "decided_by",
        "decide_link",
    )
    readonly_fields = (
        "confirmed_at",
        "status",
        "decision",
        "new_owner_email",
        "decided_at",
        "decided_by",
        "decide_link",
    )

    def save_model(self, request, obj, form, change) -> None:
        if not change:  # the operator recorded it himself: nobody has to confirm it
            obj.confirmed_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Decision"))
    def decide_link(self, obj: AccountDispute) -> str:
        if not obj.pk or obj.status == AccountDispute.Status.DECIDED:
            return "—"
        url = reverse("admin:accounts_accountdispute_decide", args=[obj.pk])
        return format_html(
            '<a class="button" href="{}">{}</a>', url, gettext("Decide this dispute…")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="accounts_accountdispute_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk: int):
        require_perm(request, "accounts.decide_accountdispute")
        dispute = get_object_or_404(AccountDispute, pk=pk)
        form = DecideForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                operator_services.dispute_decide(
                    dispute=dispute,
                    decision=form.cleaned_data["decision"],
                    new_owner_email=form.cleaned_data["new_owner_email"],
                    operator=request.user.email,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, gettext("Decision recorded."), messages.SUCCESS)
                return redirect("admin:accounts_accountdispute_change", dispute.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Decide the dispute over %(email)s")
            % {"email": dispute.account_email},
            "dispute": dispute,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/decide_dispute.html", context)
