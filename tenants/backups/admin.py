"""Operator views of backups, restores, restore requests and holidays.

Restoring is done from a backup (or from a customer's request): the operator confirms on a
page that says what happens; the System then runs on the restored data while the previous
data is kept until he confirms the restore (dropping it) or swaps back.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from servicedesk import queue
from servicedesk.admin_base import RecordAdmin, require_perm
from tenants.backups.models import Backup, Holiday, Restore, RestoreRequest
from tenants.backups.services import backups, restores
from tenants.backups.services.restore_requests import (
    backup_for_request,
    restore_request_answer,
    restore_request_answer_check,
)
from tenants.models import System


def _operator(request: HttpRequest) -> str:
    return getattr(request.user, "email", "") or str(request.user)


@admin.register(Backup)
class BackupAdmin(RecordAdmin):
    list_display = (
        "started_at",
        "system_slug",
        "kind",
        "status",
        "size_label",
        "verified",
        "attempts",
        "restore_link",
    )
    list_filter = ("status", "kind", "verify_ok")
    search_fields = ("system_slug", "schema_name")
    date_hierarchy = "started_at"
    actions = ["verify_now", "back_up_again"]
    readonly_fields = [f.name for f in Backup._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return request.method == "GET" and super().has_change_permission(request, obj)

    @admin.display(description=gettext_lazy("Size"), ordering="size")
    def size_label(self, obj: Backup) -> str:

        return filesizeformat(obj.size) if obj.size else "—"

    @admin.display(description=gettext_lazy("Verified"))
    def verified(self, obj: Backup) -> str:
        if obj.verify_ok is None:
            return "—"
        return format_html(
            '<span class="{}">{}</span>',
            "backup-verify-ok" if obj.verify_ok else "backup-verify-failed errornote",
            (
                _("OK %(date)s") % {"date": f"{obj.verified_at:%Y-%m-%d}"}
                if obj.verify_ok
                else _("FAILED")
            ),
        )

    @admin.display(description="")
    def restore_link(self, obj: Backup) -> str:
        if obj.status != Backup.Status.OK or obj.system_id is None:
            return ""
        url = reverse("admin:tenants_backup_restore", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Restore…"))

    def has_back_up_permission(self, request) -> bool:
        return request.user.has_perm("tenants.add_backup")

    @admin.action(
        description=gettext_lazy("Verify now (restore into a scratch database and compare)"),
        permissions=["back_up"],
    )
    def verify_now(self, request: HttpRequest, queryset: QuerySet[Backup]) -> None:
        ids = list(queryset.filter(status=Backup.Status.OK).values_list("pk", flat=True))
        for backup_id in ids:
            queue.task("tenants.tasks.backup_verify").delay(backup_id)
        self.message_user(
            request,
            ngettext("%(count)s verification queued.", "%(count)s verifications queued.", len(ids))
            % {"count": len(ids)},
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy("Back up these help desks again now"), permissions=["back_up"]
    )
    def back_up_again(self, request: HttpRequest, queryset: QuerySet[Backup]) -> None:
        systems = System.objects.filter(pk__in=queryset.values("system_id"))
        for system in systems:
            backups.backup_request(system=system)
        self.message_user(
            request,
            ngettext("%(count)s backup queued.", "%(count)s backups queued.", len(systems))
            % {"count": len(systems)},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "<int:backup_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="tenants_backup_restore",
            ),
            *super().get_urls(),
        ]

    def restore_view(self, request: HttpRequest, backup_id: int) -> HttpResponse:
        require_perm(request, "tenants.add_restore")
        backup = get_object_or_404(Backup.objects.select_related("system"), pk=backup_id)
        request_id = request.GET.get("request") or request.POST.get("request")
        asked = (
            RestoreRequest.objects.filter(pk=request_id, system_id=backup.system_id).first()
            if request_id and str(request_id).isdigit()
            else None
        )
        error = ""
        if request.method == "POST":
            try:
                restore = restores.restore_start(
                    backup=backup, operator=_operator(request), request=asked
                )
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                self.message_user(
                    request,
                    _(
                        "Restoring %(system)s to %(started)s UTC: a backup of the current data "
                        "is taken first. Follow it here."
                    )
                    % {"system": backup.system, "started": f"{backup.started_at:%Y-%m-%d %H:%M}"},
                    messages.SUCCESS,
                )
                return redirect("admin:tenants_restore_change", restore.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Restore %(system)s to its backup of %(started)s UTC")
            % {"system": backup.system, "started": f"{backup.started_at:%Y-%m-%d %H:%M}"},
            "backup": backup,
            "asked": asked,
            "error": error,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tenants/backup/restore.html", context)


@admin.register(Restore)
class RestoreAdmin(RecordAdmin):
    list_display = ("created_at", "system", "backup", "status", "operator", "swapped_at")
    list_filter = ("status",)
    list_select_related = ("system", "backup")
    readonly_fields = [f.name for f in Restore._meta.fields]
    actions = ["confirm", "swap_back"]

    def has_change_permission(self, request, obj=None) -> bool:
        return request.method == "GET" and super().has_change_permission(request, obj)

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("tenants.change_restore")

    @admin.action(
        description=gettext_lazy("Confirm: keep the restored data, drop the previous data"),
        permissions=["decide"],
    )
    def confirm(self, request: HttpRequest, queryset: QuerySet[Restore]):
        if "apply" not in request.POST:
            return self._ask(
                request,
                queryset,
                "confirm",
                _(
                    "The previous data of these help desks (schema and files from before the "
                    "restore) is dropped for good. Their restored data stays live."
                ),
            )
        self._each(request, queryset, restores.restore_confirm, _("confirmed"))
        return None

    @admin.action(
        description=gettext_lazy("Swap back to the data from before the restore"),
        permissions=["decide"],
    )
    def swap_back(self, request: HttpRequest, queryset: QuerySet[Restore]):
        if "apply" not in request.POST:
            return self._ask(
                request,
                queryset,
                "swap_back",
                _(
                    "These help desks go back to the data they had just before the restore; the "
                    "restored data is dropped. Everyone signs in again."
                ),
            )
        self._each(request, queryset, restores.restore_rollback, _("swapped back"))
        return None

    def _ask(self, request, queryset, action: str, consequence: str) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": _("Are you sure?"),
            "restores": queryset.select_related("system", "backup"),
            "action": action,
            "consequence": consequence,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tenants/restore/confirm_action.html", context)

    def _each(self, request, queryset, service, done: str) -> None:
        for restore in queryset:
            try:
                service(restore=restore, operator=_operator(request))
            except ValidationError as error:
                self.message_user(request, f"{restore}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{restore.system}: {done}.", messages.SUCCESS)


class RestoreRequestAnswerForm(forms.ModelForm):
    class Meta:
        model = RestoreRequest
        fields = ["status", "operator_note"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                restore_request_answer_check(
                    status=data["status"], note=data.get("operator_note", "")
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(RestoreRequest)
class RestoreRequestAdmin(RecordAdmin):
    form = RestoreRequestAnswerForm
    list_display = (
        "due",
        "system",
        "status",
        "asked_for",
        "requested_by_email",
        "created_at",
        "handled_by",
        "start_link",
    )
    list_filter = ("status",)
    list_select_related = ("system", "backup")
    ordering = ("due_at", "id")
    search_fields = ("system__slug", "requested_by_email")
    fields = (
        "system",
        "requested_by_label",
        "requested_by_email",
        "created_at",
        "due_at",
        "backup",
        "point_in_time",
        "reason",
        "status",
        "operator_note",
        "handled_by",
        "handled_at",
    )
    readonly_fields = (
        "system",
        "requested_by_label",
        "requested_by_email",
        "created_at",
        "due_at",
        "backup",
        "point_in_time",
        "reason",
        "handled_by",
        "handled_at",
    )

    actions = ["start_restore"]

    def has_restore_permission(self, request) -> bool:
        return request.user.has_perm("tenants.add_restore")

    @admin.action(
        description=gettext_lazy("Start the restore of this request…"), permissions=["restore"]
    )
    def start_restore(self, request: HttpRequest, queryset: QuerySet[RestoreRequest]):
        if queryset.count() != 1:
            self.message_user(request, _("Choose one request."), messages.ERROR)
            return None
        asked = queryset.get()
        backup = backup_for_request(request=asked)
        if backup is None:
            self.message_user(request, _("No complete backup fits this request."), messages.ERROR)
            return None
        url = reverse("admin:tenants_backup_restore", args=[backup.pk])
        return redirect(f"{url}?request={asked.pk}")

    @admin.display(description=gettext_lazy("Due"), ordering="due_at")
    def due(self, obj: RestoreRequest) -> str:
        late = obj.status in ("open", "in_progress") and obj.due_at < timezone.now()
        label = f"{obj.due_at:%Y-%m-%d %H:%M} UTC"
        if late:
            return format_html(
                '<strong class="errornote restore-overdue">{}</strong>',
                _("OVERDUE %(due)s") % {"due": label},
            )
        return label

    @admin.display(description=gettext_lazy("Restore to"))
    def asked_for(self, obj: RestoreRequest) -> str:
        if obj.backup_id and obj.backup:
            return _("backup of %(started)s UTC") % {
                "started": f"{obj.backup.started_at:%Y-%m-%d %H:%M}"
            }
        if obj.point_in_time:
            return _("last backup before %(moment)s UTC") % {
                "moment": f"{obj.point_in_time:%Y-%m-%d %H:%M}"
            }
        return "—"

    @admin.display(description="")
    def start_link(self, obj: RestoreRequest) -> str:
        if obj.status != RestoreRequest.Status.OPEN:
            return ""
        backup = backup_for_request(request=obj)
        if backup is None:
            return _("no backup fits")
        url = reverse("admin:tenants_backup_restore", args=[backup.pk])
        return format_html('<a href="{}?request={}">{}</a>', url, obj.pk, _("Start the restore…"))

    def save_model(self, request, obj: RestoreRequest, form, change) -> None:
        # The form checked the answer; the service checks again under the row lock.
        restore_request_answer(
            request=obj, operator=_operator(request), status=obj.status, note=obj.operator_note
        )


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("day", "name")
    date_hierarchy = "day"
