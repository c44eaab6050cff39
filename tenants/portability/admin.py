"""Operator views of exports and imports. The operator sees that an export happened and
how big it was, never its content (that needs an access grant, like everything else)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.admin_base import ReadOnlyAdmin, require_perm
from tenants.models import Customer
from tenants.portability.models import Export, SystemImport
from tenants.portability.services import imports
from tenants.validators import validate_subdomain


@admin.register(Export)
class ExportAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "system",
        "status",
        "requested_by_email",
        "size",
        "created_at",
        "expires_at",
        "attempts",
    )
    list_filter = ("status",)
    list_select_related = ("system",)
    search_fields = ("system__slug", "requested_by_email")
    exclude = ("file_name",)


class ImportForm(forms.Form):
    archive = forms.FileField(help_text=gettext_lazy("A zip made by “Export your data”."))
    slug = forms.CharField(max_length=63, label=gettext_lazy("Subdomain of the new help desk"))
    name = forms.CharField(
        max_length=200, required=False, help_text=gettext_lazy("Default: the exported one's.")
    )
    customer = forms.ModelChoiceField(
        Customer.objects.order_by("name"),
        required=False,
        help_text=gettext_lazy("Default: a new customer, from the archive's details."),
    )
    trust_foreign = forms.BooleanField(
        required=False,
        label=gettext_lazy("Signed by another Service Desk"),
        help_text=gettext_lazy(
            "Accept an archive this installation did not sign (checksums still count). Its "
            "people are each emailed a link to choose a password, its pending invitations "
            "get new links (send them again), and its formatted text is rendered again from "
            "its Markdown."
        ),
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        validate_subdomain(slug)
        return slug


@admin.register(SystemImport)
class SystemImportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "slug", "source_slug", "status", "outcome", "by")
    list_filter = ("status",)
    list_select_related = ("system",)
    change_list_template = "admin/tenants/systemimport/change_list.html"

    @admin.display(description=gettext_lazy("Outcome"))
    def outcome(self, obj: SystemImport) -> str:
        if obj.status == SystemImport.Status.REFUSED:
            return obj.reason
        if obj.system_id:
            url = reverse("admin:tenants_system_change", args=[obj.system_id])
            return format_html('<a href="{}">{}</a>', url, obj.system)
        return "…"

    def get_urls(self):
        return [
            path(
                "new/",
                self.admin_site.admin_view(self.import_view),
                name="tenants_systemimport_new",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        require_perm(request, "tenants.add_systemimport")
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            staging = Path(settings.EXPORT_ROOT) / "imports"
            staging.mkdir(parents=True, exist_ok=True)
            target = staging / f"{uuid.uuid4().hex}.zip"
            with target.open("wb") as out:
                for chunk in data["archive"].chunks():
                    out.write(chunk)
            try:
                imports.import_queue(
                    path=target,
                    slug=data["slug"],
                    name=data["name"] or None,
                    customer=data["customer"],
                    trust_foreign=data["trust_foreign"],
                    by=request.user.email,
                )
            except ValidationError as error:
                target.unlink(missing_ok=True)
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _(
                        "Importing %(archive)s as %(slug)s: the archive is checked first; this "
                        "list shows the outcome."
                    )
                    % {"archive": data["archive"].name, "slug": data["slug"]},
                    messages.SUCCESS,
                )
                return redirect("admin:tenants_systemimport_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import a help desk from an export"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tenants/import.html", context)
