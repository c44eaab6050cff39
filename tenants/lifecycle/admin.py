"""The operator's hand on a System's lifecycle (suspend, resume, terminate, extend a
trial), and the deletions: those scheduled by owners (pending, undone) and the records of
deleted Systems (read-only: the owner decides, the beat job carries it out)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.admin_base import ReadOnlyAdmin, require_perm
from tenants.lifecycle import services as lifecycle
from tenants.lifecycle.models import SystemDeletion
from tenants.models import ScheduledDeletion, System


@admin.register(ScheduledDeletion)
class ScheduledDeletionAdmin(ReadOnlyAdmin):
    list_display = ("system", "requested_by_email", "requested_at", "due_at", "cancelled_at")
    list_filter = (("cancelled_at", admin.EmptyFieldListFilter),)
    list_select_related = ("system",)
    search_fields = ("system__slug", "requested_by_email")
    exclude = ("undo_token_hash",)


@admin.register(SystemDeletion)
class SystemDeletionAdmin(ReadOnlyAdmin):
    list_display = ("slug", "name", "customer", "requested_by", "deleted_at")
    list_select_related = ("customer",)
    search_fields = ("slug", "name", "customer__name")


class LifecycleForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("suspend", gettext_lazy("Suspend")),
            ("resume", gettext_lazy("Resume")),
            ("terminate", gettext_lazy("Terminate (the owner can export until retention ends)")),
            ("extend", gettext_lazy("Extend the trial")),
        ]
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Told to the owner."),
    )
    days = forms.IntegerField(
        required=False, min_value=1, max_value=90, help_text=gettext_lazy("For a trial extension.")
    )


class LifecycleAdminMixin:
    """Mixed into SystemAdmin: the operator's hand on the state machine."""

    def lifecycle_urls(self):
        return [
            path(
                "<int:pk>/lifecycle/",
                self.admin_site.admin_view(self.lifecycle_view),
                name="tenants_system_lifecycle",
            ),
        ]

    def lifecycle_view(self, request, pk: int):
        require_perm(request, "tenants.change_system_status")
        system = get_object_or_404(System, pk=pk)
        form = LifecycleForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data, operator = form.cleaned_data, request.user.email
            try:
                if data["action"] == "extend":
                    lifecycle.trial_extend(system=system, days=data["days"] or 0, operator=operator)
                    done = True
                else:
                    act = {
                        "suspend": lifecycle.system_suspend,
                        "resume": lifecycle.system_resume,
                        "terminate": lifecycle.system_terminate,
                    }[data["action"]]
                    done = act(system=system, reason=data["reason"], operator=operator)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if done:
                    self.message_user(request, _("Done; the owner is told."), messages.SUCCESS)
                else:
                    self.message_user(
                        request,
                        _("Nothing to do: %(system)s is %(status)s.")
                        % {"system": system, "status": system.get_status_display().lower()},
                        messages.WARNING,
                    )
                return redirect("admin:tenants_system_change", system.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change the status of %(system)s (now %(status)s)")
            % {"system": system, "status": system.get_status_display().lower()},
            "form": form,
            "system": system,
            "opts": System._meta,
        }
        return TemplateResponse(request, "admin/tenants/lifecycle.html", context)
