from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from legal import selectors
from legal.models import (
    AnalyticsProvider,
    Announcement,
    ConsentChange,
    OperatorAccess,
    TermsVersion,
)
from legal.services import consents, terms


class TermsVersionForm(forms.ModelForm):
    class Meta:
        model = TermsVersion
        fields = ["document", "version", "effective_at", "summary", "body"]


@admin.register(TermsVersion)
class TermsVersionAdmin(admin.ModelAdmin):
    """Publish a version (now or scheduled); once in effect it is read-only for good."""

    form = TermsVersionForm
    list_display = ("__str__", "effective_at", "in_effect", "announced_at")
    list_filter = ("document",)

    @admin.display(boolean=True, description="In effect")
    def in_effect(self, obj: TermsVersion) -> bool:
        return obj.in_effect

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("announced_at",)
        if obj.in_effect:
            return ("document", "version", "effective_at", "summary", "body", "announced_at")
        return ("document", "version", "announced_at")

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is not None and not obj.in_effect

    def save_model(self, request, obj, form, change):
        try:
            if change:
                terms.terms_update_scheduled(
                    terms=obj, body=obj.body, summary=obj.summary, effective_at=obj.effective_at
                )
            else:
                published = terms.terms_publish(
                    document=obj.document,
                    version=obj.version,
                    effective_at=obj.effective_at,
                    body=obj.body,
                    summary=obj.summary,
                )
                obj.pk = published.pk
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ("subject", "created_at", "sent_at")
    readonly_fields = ("sent_at",)
    actions = ["send"]

    @admin.action(description="Send to every System that agreed (each person once)")
    def send(self, request, queryset):
        for announcement in queryset:
            count = consents.announcement_send(announcement=announcement)
            self.message_user(
                request, f"“{announcement}” is going to {count} System(s).", messages.SUCCESS
            )


@admin.register(ConsentChange)
class ConsentChangeAdmin(admin.ModelAdmin):
    list_display = ("changed_at", "system", "kind", "value", "changed_by")
    list_filter = ("kind", "value")
    search_fields = ("system__slug", "changed_by")
    list_select_related = ("system",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
class OperatorAccessAdmin(admin.ModelAdmin):
    """The operator's own record of access grants (the customer sees the same)."""

    list_display = ("granted_at", "system", "operator_email", "reason", "expires_at", "ended_at")
    list_filter = ("reason",)
    search_fields = ("system__slug", "operator_email", "note")
    list_select_related = ("system",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in OperatorAccess._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(granted_at__lte=timezone.now())
