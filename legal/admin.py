from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from legal import admin_notices, selectors
from legal.models import (
    AnalyticsProvider,
    Announcement,
    ConsentChange,
    ContentReport,
    OperatorAccess,
    Takedown,
    TermsVersion,
)
from legal.services import consents, takedowns, terms
from servicedesk.admin_base import ReadOnlyAdmin, RecordAdmin, require_perm

# Notices from outside a System have their own module; importing it registers them.
__all__ = ["admin_notices"]


class TermsVersionForm(forms.ModelForm):
    class Meta:
        model = TermsVersion
        fields = ["document", "version", "effective_at", "short_notice_reason", "summary", "body"]

    def clean(self):
        # The service's own rules, here, so a refusal shows on the form (and nothing is
        # reported as saved).
        data = super().clean()
        if self.errors:
            return data
        try:
            if self.instance.pk:
                terms.terms_update_check(
                    terms=self.instance,
                    effective_at=data["effective_at"],
                    short_notice_reason=data.get("short_notice_reason", ""),
                )
            else:
                terms.terms_publish_check(
                    document=data["document"],
                    version=data["version"],
                    effective_at=data["effective_at"],
                    body=data["body"],
                    summary=data["summary"],
                    short_notice_reason=data.get("short_notice_reason", ""),
                )
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return data


@admin.register(TermsVersion)
class TermsVersionAdmin(admin.ModelAdmin):
    """Publish a version (now or scheduled): everyone is told at once. Once in effect it is
    read-only for good."""

    form = TermsVersionForm
    list_display = (
        "__str__",
        "published_at",
        "effective_at",
        "in_effect",
        "short_notice",
        "publication_announced_at",
        "announced_at",
    )
    list_filter = ("document",)
    RECORDS = ("published_at", "publication_announced_at", "announced_at")

    @admin.display(boolean=True, description=gettext_lazy("In effect"))
    def in_effect(self, obj: TermsVersion) -> bool:
        return obj.in_effect

    @admin.display(boolean=True, description=gettext_lazy("Shorter notice"))
    def short_notice(self, obj: TermsVersion) -> bool:
        return bool(obj.short_notice_reason)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        reason = form.base_fields.get("short_notice_reason")
        if reason is not None:
            reason.help_text = _(
                "Needed when it takes effect less than %(days)s days after publishing; shown "
                "in the email and on the public page."
            ) % {"days": settings.TERMS_MIN_NOTICE_DAYS}
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.RECORDS
        if obj.in_effect:
            return (
                "document",
                "version",
                "effective_at",
                "short_notice_reason",
                "summary",
                "body",
                *self.RECORDS,
            )
        return ("document", "version", *self.RECORDS)

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is not None and not obj.in_effect

    def save_model(self, request, obj, form, change):
        # The form checked the rules; the services check them again under their locks.
        if change:
            terms.terms_update_scheduled(
                terms=obj,
                body=obj.body,
                summary=obj.summary,
                effective_at=obj.effective_at,
                short_notice_reason=obj.short_notice_reason,
            )
        else:
            published = terms.terms_publish(
                document=obj.document,
                version=obj.version,
                effective_at=obj.effective_at,
                body=obj.body,
                summary=obj.summary,
                short_notice_reason=obj.short_notice_reason,
            )
            obj.pk = published.pk


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ("subject", "created_at", "sent_at")
    readonly_fields = ("sent_at",)
    actions = ["send"]

    def has_send_permission(self, request) -> bool:
        return request.user.has_perm("legal.send_announcement")

    @admin.action(
        description=gettext_lazy("Send to every System that agreed (each person once)"),
        permissions=["send"],
    )
    def send(self, request, queryset):
        for announcement in queryset:
            count = consents.announcement_send(announcement=announcement)
            text = ngettext(
                "“%(announcement)s” is going to %(count)s System.",
                "“%(announcement)s” is going to %(count)s Systems.",
                count,
            ) % {"announcement": announcement, "count": count}
            self.message_user(request, text, messages.SUCCESS)


@admin.register(ConsentChange)
class ConsentChangeAdmin(ReadOnlyAdmin):
    list_display = ("changed_at", "system", "kind", "value", "changed_by")
    list_filter = ("kind", "value")
    search_fields = ("system__slug", "changed_by")
    list_select_related = ("system",)


@admin.register(AnalyticsProvider)
class AnalyticsProviderAdmin(admin.ModelAdmin):
    list_display = ("kind", "pages", "enabled")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        selectors.providers_forget()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        selectors.providers_forget()


@admin.register(OperatorAccess)
class OperatorAccessAdmin(RecordAdmin):
    """The operator's own record of access grants (the customer sees the same)."""

    list_display = ("granted_at", "system", "operator_email", "reason", "expires_at", "ended_at")
    list_filter = ("reason",)
    search_fields = ("system__slug", "operator_email", "note")
    list_select_related = ("system",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in OperatorAccess._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(granted_at__lte=timezone.now())


class DisableForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Shown in place of the content, and emailed to the System's admins."
        ),
    )


@admin.register(ContentReport)
class ContentReportAdmin(admin.ModelAdmin):
    list_display = ("created_at", "system", "kind", "ticket_number", "category", "status", "review")
    list_filter = ("status", "category", "kind")
    search_fields = ("system__slug", "reporter_email", "note")
    list_select_related = ("system",)
    actions = ["dismiss"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ContentReport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="")
    def review(self, obj: ContentReport) -> str:
        if obj.status != ContentReport.Status.OPEN:
            return "—"
        url = reverse("admin:legal_contentreport_disable", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Disable the content…"))

    @admin.action(description=gettext_lazy("Dismiss: the content stays"), permissions=["change"])
    def dismiss(self, request, queryset):
        for report in queryset:
            takedowns.report_dismiss(report=report)

    def get_urls(self):
        return [
            path(
                "<int:pk>/disable/",
                self.admin_site.admin_view(self.disable_view),
                name="legal_contentreport_disable",
            ),
            *super().get_urls(),
        ]

    def disable_view(self, request, pk: int):
        require_perm(request, "legal.add_takedown")
        report = get_object_or_404(ContentReport.objects.select_related("system"), pk=pk)
        form = DisableForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                takedowns.takedown(
                    system=report.system,
                    kind=report.kind,
                    object_id=report.object_id,
                    reason=form.cleaned_data["reason"],
                    operator_email=request.user.email,
                    report=report,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The content is disabled."), messages.SUCCESS)
                return redirect("admin:legal_takedown_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Disable the %(kind)s on #%(number)s")
            % {"kind": report.get_kind_display().lower(), "number": report.ticket_number},
            "report": report,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/legal/disable_content.html", context)


@admin.register(Takedown)
class TakedownAdmin(RecordAdmin):
    list_display = ("created_at", "system", "kind", "ticket_number", "answered", "restored_at")
    list_filter = ("kind",)
    search_fields = ("system__slug", "reason", "appeal")
    list_select_related = ("system",)
    actions = ["restore"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Takedown._meta.fields]

    @admin.display(boolean=True, description=gettext_lazy("Answered"))
    def answered(self, obj: Takedown) -> bool:
        return bool(obj.appeal)

    @admin.action(description=gettext_lazy("Restore the content"), permissions=["change"])
    def restore(self, request, queryset):
        for removal in queryset:
            takedowns.takedown_restore(takedown_id=removal.pk, operator_email=request.user.email)
        self.message_user(request, _("Restored."), messages.SUCCESS)


# Service notices have their own module; importing it registers them here.
from legal import notice_admin  # noqa: E402, F401
