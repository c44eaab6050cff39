"""Notices from outside a System, in admin: record one with its document and the content it
names, take that content down, read the System's counter-notice, restore.

The operator names the content by the System's address, the ticket number and (for a
reply or file) its id; admin checks that it exists without showing any of it (reading a
System's content needs an access grant, as everywhere else)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from legal.models import ContentKind, Takedown, TakedownNotice
from legal.services import notices, takedowns
from servicedesk.admin_base import require_perm

# The form's names for what the service calls otherwise.
_FORM_FIELDS = {"object_id": "item_id"}


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = _FORM_FIELDS.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class NoticeAddForm(forms.ModelForm):
    system_slug = forms.CharField(
        label=_("System"),
        max_length=63,
        help_text=_("Its address: “acme” for acme.<your domain>."),
    )
    item_id = forms.IntegerField(
        label=_("Reply or file id"),
        required=False,
        min_value=1,
        help_text=_("For a reply or a file: the id in the link the notice quotes."),
    )
    document = forms.FileField(
        label=_("Document"),
        help_text=_("The notice as received: a PDF, an image or plain text."),
    )

    class Meta:
        model = TakedownNotice
        fields = [
            "sender_kind",
            "sender_name",
            "sender_contact",
            "sender_private",
            "reference",
            "received_at",
            "kind",
            "ticket_number",
            "notes",
        ]
        labels = {"kind": _("What it names"), "ticket_number": _("Ticket number")}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.target = notices.notice_target_find(
                system_slug=data["system_slug"],
                kind=data["kind"],
                ticket_number=data["ticket_number"],
                object_id=data.get("item_id"),
            )
            notices.document_check(data["document"])
        except ValidationError as error:
            _add_service_errors(self, error)
        return data


class TakeDownForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown in place of the content, and emailed to the System's admins with the "
            "notice's sender (as the privacy choice allows) and reference."
        ),
    )


@admin.register(TakedownNotice)
class TakedownNoticeAdmin(admin.ModelAdmin):
    list_display = (
        "received_at",
        "sender_kind",
        "sender_name",
        "reference",
        "system_slug",
        "kind",
        "ticket_number",
        "status",
    )
    list_filter = ("status", "sender_kind", "kind")
    search_fields = ("system_slug", "sender_name", "reference")
    actions = ["restore", "dismiss"]
    ADD_FIELDSETS = (
        (
            _("Who sent it"),
            {
                "fields": (
                    "sender_kind",
                    "sender_name",
                    "sender_contact",
                    "sender_private",
                    "reference",
                    "received_at",
                    "document",
                )
            },
        ),
        (
            _("The content it names"),
            {"fields": ("system_slug", "ticket_number", "kind", "item_id")},
        ),
        (None, {"fields": ("notes",)}),
    )
    CHANGE_FIELDSETS = (
        (
            _("Who sent it"),
            {
                "fields": (
                    "sender_kind",
                    "sender_name",
                    "sender_contact",
                    "sender_private",
                    "reference",
                    "received_at",
                    "document_link",
                )
            },
        ),
        (
            _("The content it names"),
            {"fields": ("system_slug", "kind", "ticket_number", "object_id")},
        ),
        (_("What was done"), {"fields": ("status", "act", "history")}),
        (None, {"fields": ("notes", "recorded_by", "recorded_at")}),
    )
    EDITABLE = ("sender_private", "notes")

    def get_fieldsets(self, request, obj=None):
        return self.ADD_FIELDSETS if obj is None else self.CHANGE_FIELDSETS

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NoticeAddForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fields = [f.name for f in TakedownNotice._meta.fields if f.name not in self.EDITABLE]
        return [*fields, "document_link", "act", "history"]

    def get_changeform_initial_data(self, request):
        return {"received_at": timezone.now(), "kind": ContentKind.ATTACHMENT}

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the operator's record of what he was told, and when

    def has_restore_permission(self, request) -> bool:
        return request.user.has_perm("legal.change_takedown")

    def save_model(self, request, obj, form, change):
        if change:
            notices.notice_update(
                notice=obj, sender_private=obj.sender_private, notes=obj.notes or ""
            )
            return
        data = form.cleaned_data
        notice = notices.notice_record(
            operator_email=request.user.email,
            sender_kind=data["sender_kind"],
            sender_name=data["sender_name"],
            sender_contact=data["sender_contact"],
            sender_private=data["sender_private"],
            reference=data.get("reference", ""),
            received_at=data["received_at"],
            notes=data.get("notes", ""),
            target=form.target,
            document=data["document"],
        )
        obj.__dict__.update({k: v for k, v in notice.__dict__.items() if k != "_state"})
        obj._state.adding = False

    # --- what the change page shows ----------------------------------------------------------

    @admin.display(description=_("Document"))
    def document_link(self, obj: TakedownNotice) -> str:
        url = reverse("admin:legal_takedownnotice_document", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> ({}, {}; SHA-256 {})',
            url,
            obj.document_name,
            obj.document_type,
            filesizeformat(obj.document_size),
            obj.document_sha256,
        )

    @admin.display(description=_("Act"))
    def act(self, obj: TakedownNotice) -> str:
        if obj.system_id is None:
            return _("The System was deleted.")
        if obj.status not in {TakedownNotice.Status.ACTED, TakedownNotice.Status.COUNTERED}:
            url = reverse("admin:legal_takedownnotice_takedown", args=[obj.pk])
            return format_html('<a class="button" href="{}">{}</a>', url, _("Take it down…"))
        return "—"

    @admin.display(description=_("Takedowns and counter-notices"))
    def history(self, obj: TakedownNotice) -> str:
        removals = list(obj.takedowns.order_by("created_at"))
        if not removals:
            return _("Nothing was taken down from this notice.")
        return format_html_join(
            "",
            "<p>{}</p>",
            ((self._describe(removal),) for removal in removals),
        )

    @staticmethod
    def _describe(removal: Takedown) -> str:
        taken = format_html(
            "{} {} {} {}: “{}”.",
            _("Taken down"),
            removal.created_at.strftime("%Y-%m-%d %H:%M"),
            _("by"),
            removal.operator_email,
            removal.reason,
        )
        if removal.appeal:
            taken = format_html(
                "{}<br><strong>{}</strong> {} ({}): “{}”",
                taken,
                _("Counter-notice"),
                removal.appealed_by,
                removal.appealed_at.strftime("%Y-%m-%d %H:%M") if removal.appealed_at else "",
                removal.appeal,
            )
        if removal.restored_at:
            taken = format_html(
                "{}<br>{} {} {} {}.",
                taken,
                _("Restored"),
                removal.restored_at.strftime("%Y-%m-%d %H:%M"),
                _("by"),
                removal.restored_by,
            )
        return taken

    # --- actions -----------------------------------------------------------------------------

    @admin.action(description=_("Restore the content they named"), permissions=["restore"])
    def restore(self, request, queryset):
        restored = 0
        for removal in Takedown.objects.filter(notice__in=queryset, restored_at__isnull=True):
            takedowns.takedown_restore(takedown_id=removal.pk, operator_email=request.user.email)
            restored += 1
        self.message_user(
            request, _("Restored: %(count)s.") % {"count": restored}, messages.SUCCESS
        )

    @admin.action(description=_("Dismiss: the content stays"), permissions=["change"])
    def dismiss(self, request, queryset):
        for notice in queryset:
            notices.notice_dismiss(notice=notice)

    # --- pages of its own --------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/take-down/",
                self.admin_site.admin_view(self.takedown_view),
                name="legal_takedownnotice_takedown",
            ),
            path(
                "<int:pk>/document/",
                self.admin_site.admin_view(self.document_view),
                name="legal_takedownnotice_document",
            ),
            *super().get_urls(),
        ]

    def takedown_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        require_perm(request, "legal.add_takedown")
        notice = get_object_or_404(TakedownNotice.objects.select_related("system"), pk=pk)
        form = TakeDownForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if notice.system is None:
                    raise ValidationError(_("The System this notice names was deleted."))
                takedowns.takedown(
                    system=notice.system,
                    kind=notice.kind,
                    object_id=notice.object_id,
                    reason=form.cleaned_data["reason"],
                    operator_email=request.user.email,
                    notice=notice,
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                self.message_user(
                    request,
                    _("The content is taken down; the System's admins are told."),
                    messages.SUCCESS,
                )
                return redirect("admin:legal_takedownnotice_change", notice.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Take down the %(kind)s on #%(number)s in %(system)s")
            % {
                "kind": notice.get_kind_display().lower(),
                "number": notice.ticket_number,
                "system": notice.system_slug,
            },
            "notice": notice,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/legal/notice_takedown.html", context, status=400 if form.errors else 200
        )

    def document_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        require_perm(request, "legal.view_takedownnotice")
        notice = get_object_or_404(TakedownNotice, pk=pk)
        try:
            stored = notices.notice_document(notice=notice)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:legal_takedownnotice_change", notice.pk)
        response = FileResponse(
            stored.open("rb"),
            content_type=notice.document_type,
            as_attachment=True,
            filename=notices.document_filename(notice),
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
