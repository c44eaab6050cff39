"""Service notices in admin: write a draft, publish it, post updates, end it. Force majeure
shows when its written notice is due and stays flagged until the mail went out."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from legal.notice_models import ServiceNotice
from legal.services import service_notices
from servicedesk.admin_base import require_perm

PUBLISH = "legal.publish_servicenotice"
LOCKED_WHEN_PUBLISHED = ("kind", "all_systems", "systems", "event_at")


class ServiceNoticeForm(forms.ModelForm):
    class Meta:
        model = ServiceNotice
        fields = [
            "kind",
            "title",
            "body",
            "all_systems",
            "systems",
            "starts_at",
            "expected_end",
            "event_at",
        ]

    def clean(self):
        # The service's rules, here, so a refusal shows on the form.
        data = super().clean()
        if self.errors:
            return data
        published = self.instance.pk and self.instance.published_at is not None
        pick = (lambda name: getattr(self.instance, name)) if published else data.get
        try:
            service_notices.service_notice_check(
                kind=pick("kind"),
                title=data.get("title", ""),
                body=data.get("body", ""),
                all_systems=pick("all_systems"),
                systems=self.instance.systems.all() if published else data.get("systems", []),
                starts_at=data["starts_at"],
                expected_end=data.get("expected_end"),
                event_at=pick("event_at"),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                self.add_error(field if field in self.fields else None, problems)
        return data


class UpdateForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Update"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Markdown. Mailed to the owners and admins of every affected System; it "
            "brings the banner back to everyone who dismissed it."
        ),
    )
    end = forms.BooleanField(
        label=gettext_lazy("This update ends the notice"),
        required=False,
        help_text=gettext_lazy("The banner goes."),
    )


@admin.register(ServiceNotice)
class ServiceNoticeAdmin(admin.ModelAdmin):
    form = ServiceNoticeForm
    list_display = (
        "title",
        "kind",
        "affected",
        "starts_at",
        "state",
        "written_notice_due",
        "mailed_at",
    )
    list_filter = ("kind",)
    search_fields = ("title",)
    filter_horizontal = ("systems",)
    actions = ["publish", "mail_again", "end"]
    RECORDS = (
        "written_notice_due",
        "state",
        "updates_list",
        "created_by",
        "published_at",
        "published_by",
        "mailed_at",
        "ended_at",
        "ended_by",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(chosen=Count("systems"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return (*LOCKED_WHEN_PUBLISHED, *self.RECORDS)
        return self.RECORDS

    def has_delete_permission(self, request, obj=None) -> bool:
        # A published notice is a record: never deleted. A draft is, from its own page (no
        # bulk delete: it would not tell drafts from published notices).
        if obj is None or obj.published_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(PUBLISH)

    # --- columns ----------------------------------------------------------------------

    @admin.display(description=gettext_lazy("Affects"))
    def affected(self, obj: ServiceNotice) -> str:
        if obj.all_systems:
            return _("All Systems")
        count = getattr(obj, "chosen", None)
        return (
            _("%(count)s chosen") % {"count": count} if count is not None else _("Chosen Systems")
        )

    @admin.display(description=gettext_lazy("State"))
    def state(self, obj: ServiceNotice) -> str:
        now = timezone.now()
        if obj.published_at is None:
            return _("Draft")
        if obj.ended_at is not None and obj.ended_at <= now:
            return _("Ended")
        return _("Scheduled") if obj.starts_at > now else _("Active")

    @admin.display(description=gettext_lazy("Written notice due by"))
    def written_notice_due(self, obj: ServiceNotice) -> str:
        due = obj.notice_due_at
        if due is None:
            return "—"
        label = f"{due:%Y-%m-%d %H:%M} UTC"
        if obj.mailed_at is not None:
            return _("%(due)s · sent %(sent)s UTC") % {
                "due": label,
                "sent": f"{obj.mailed_at:%Y-%m-%d %H:%M}",
            }
        if due < timezone.now():
            text = _("OVERDUE, %(due)s · not sent yet") % {"due": label}
        else:
            text = _("%(due)s · not sent yet") % {"due": label}
        return format_html('<strong class="errornote notice-due">{}</strong>', text)

    @admin.display(description=gettext_lazy("Updates"))
    def updates_list(self, obj: ServiceNotice) -> str:
        if obj.pk is None or obj.published_at is None:
            return _("Publish the notice to post updates.")
        rows = format_html_join(
            "",
            "<li>{}: {}</li>",
            (
                (
                    (
                        _("%(at)s UTC by %(by)s")
                        if u.mailed_at
                        else _("%(at)s UTC by %(by)s (not mailed yet)")
                    )
                    % {"at": f"{u.posted_at:%Y-%m-%d %H:%M}", "by": u.posted_by},
                    u.body[:200],
                )
                for u in obj.updates.all()
            ),
        )
        link = ""
        if obj.ended_at is None:
            url = reverse("admin:legal_servicenotice_update", args=[obj.pk])
            link = format_html('<a class="button" href="{}">{}</a>', url, _("Post an update…"))
        return format_html("<ul>{}</ul>{}", rows, link)

    # --- writes go through the services -------------------------------------------------

    def save_model(self, request, obj, form, change):
        systems = None if obj.published_at else form.cleaned_data.get("systems", [])
        service_notices.service_notice_save(actor=request.user, notice=obj, systems=systems)

    def save_related(self, request, form, formsets, change):
        # The service set the affected Systems; only inline formsets are left (none today).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(
        description=gettext_lazy(
            "Publish: show it and mail the owners and admins of every affected System"
        ),
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        for notice in queryset:
            try:
                service_notices.service_notice_publish(actor=request.user, notice=notice)
            except ValidationError as error:
                self.message_user(request, f"“{notice}”: {' '.join(error.messages)}", "error")
            else:
                self.message_user(
                    request, _("“%(notice)s” is published.") % {"notice": notice}, messages.SUCCESS
                )

    @admin.action(
        description=gettext_lazy("Mail again where it didn't go (nobody gets it twice)"),
        permissions=["publish"],
    )
    def mail_again(self, request, queryset):
        for notice in queryset.filter(published_at__isnull=False):
            service_notices.service_notice_mail_again(notice=notice)
        self.message_user(request, _("Queued; each person gets each mail once."), messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("End: the banner goes (nobody is mailed)"), permissions=["publish"]
    )
    def end(self, request, queryset):
        for notice in queryset:
            try:
                service_notices.service_notice_end(actor=request.user, notice=notice)
            except ValidationError as error:
                self.message_user(request, f"“{notice}”: {' '.join(error.messages)}", "error")

    # --- posting an update ------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/update/",
                self.admin_site.admin_view(self.update_view),
                name="legal_servicenotice_update",
            ),
            *super().get_urls(),
        ]

    def update_view(self, request, pk: int):
        require_perm(request, PUBLISH)
        notice = get_object_or_404(ServiceNotice, pk=pk)
        form = UpdateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                service_notices.service_notice_update_post(
                    actor=request.user,
                    notice=notice,
                    body=form.cleaned_data["body"],
                    end=form.cleaned_data["end"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(request, _("The update is posted and mailed."), messages.SUCCESS)
                return redirect("admin:legal_servicenotice_change", notice.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Post an update to “%(notice)s”") % {"notice": notice},
            "notice": notice,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/legal/notice_update.html", context)
