"""Admin views that open a System's data — only under an operator access grant.

Without an open grant the operator is sent to a form that asks why; with one, every page
and file opened is logged against the grant, where the System's owner and admins see it.
Pages are rendered inside the System's schema, so nothing is read lazily from elsewhere.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from accounts.models import User
from legal import selectors as legal_selectors
from legal.models import OperatorAccess
from legal.services import access as access_services
from servicedesk.admin_base import require_perm
from tenants.models import System
from tickets.models import Attachment, Ticket

ACCESS = "tenants.access_system_data"


class AccessRequestForm(forms.Form):
    reason = forms.ChoiceField(choices=OperatorAccess.Reason.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you will look at and why. The customer's owner and admins read this."),
    )
    minutes = forms.IntegerField(
        initial=access_services.DEFAULT_MINUTES,
        min_value=5,
        max_value=access_services.MAX_MINUTES,
        help_text=_("The grant ends by itself after this long."),
    )


class OperatorAccessAdminMixin:
    """Mixed into SystemAdmin."""

    def access_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/access/", wrap(self.access_request_view), name="tenants_system_access"),
            path("<int:pk>/data/", wrap(self.data_overview_view), name="tenants_system_data"),
            path(
                "<int:pk>/data/tickets/<int:number>/",
                wrap(self.data_ticket_view),
                name="tenants_system_data_ticket",
            ),
            path(
                "<int:pk>/data/files/<int:attachment_id>/",
                wrap(self.data_file_view),
                name="tenants_system_data_file",
            ),
            path("<int:pk>/data/end/", wrap(self.data_end_view), name="tenants_system_data_end"),
        ]

    def _context(self, request, system: System, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": System._meta,
            "system": system,
            **extra,
        }

    def _open_grant(self, request, system: System) -> OperatorAccess | None:
        return legal_selectors.operator_access_open(
            system_id=system.pk, operator_id=request.user.pk
        )

    def access_request_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        require_perm(request, ACCESS)
        system = get_object_or_404(System, pk=pk)
        form = AccessRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                access_services.access_grant(
                    operator=request.user, system=system, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    f"Access to {system} is open; its owner and admins were told.",
                    messages.WARNING,
                )
                return redirect("admin:tenants_system_data", system.pk)
        title = f"Access {system} — why?"
        return render(
            request,
            "admin/tenants/access_request.html",
            self._context(request, system, form=form, title=title),
        )

    def _require_grant(self, request, system: System) -> OperatorAccess | HttpResponse:
        require_perm(request, ACCESS)
        grant = self._open_grant(request, system)
        if grant is None:
            self.message_user(
                request,
                "A System's data opens only with a stated reason, for a limited time.",
                messages.INFO,
            )
            return redirect("admin:tenants_system_access", system.pk)
        return grant

    def data_overview_view(self, request: HttpRequest, pk: int) -> HttpResponse:

        system = get_object_or_404(System, pk=pk)
        grant = self._require_grant(request, system)
        if isinstance(grant, HttpResponse):
            return grant
        access_services.access_log_view(access=grant, what="Overview: latest tickets and people")
        with schema_context(system.schema_name):
            tickets = list(  # as the System sees them: the trash is not on its lists
                Ticket.objects.live()
                .select_related("requester", "assignee")
                .order_by("-updated_at", "-id")[:50]
            )
            people = list(User.objects.order_by("full_name")[:200])
            return render(
                request,
                "admin/tenants/system_data.html",
                self._context(
                    request,
                    system,
                    grant=grant,
                    tickets=tickets,
                    people=people,
                    title=f"Data of {system}",
                ),
            )

    def data_ticket_view(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:

        system = get_object_or_404(System, pk=pk)
        grant = self._require_grant(request, system)
        if isinstance(grant, HttpResponse):
            return grant
        with schema_context(system.schema_name):
            ticket = (  # as the System sees it: the trash is not on its pages
                Ticket.objects.live()
                .select_related("requester", "assignee", "category")
                .filter(number=number)
                .first()
            )
            if ticket is None:
                raise Http404("No such ticket.")
            access_services.access_log_view(access=grant, what=f"Ticket #{number}")
            replies = list(ticket.replies.select_related("author").prefetch_related("attachments"))
            files = list(ticket.attachments.filter(reply__isnull=True))
            return render(
                request,
                "admin/tenants/system_ticket.html",
                self._context(
                    request,
                    system,
                    grant=grant,
                    ticket=ticket,
                    replies=replies,
                    files=files,
                    title=f"#{number} in {system}",
                ),
            )

    def data_file_view(self, request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:

        system = get_object_or_404(System, pk=pk)
        grant = self._require_grant(request, system)
        if isinstance(grant, HttpResponse):
            return grant
        with schema_context(system.schema_name):
            attachment = (
                Attachment.objects.live()
                .of_live_tickets()
                .select_related("ticket")
                .filter(pk=attachment_id)
                .first()
            )
            if attachment is None:
                raise Http404("No such file.")
            access_services.access_log_view(
                access=grant, what=f"File {attachment.original_name} on #{attachment.ticket.number}"
            )
            response = FileResponse(
                attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
            )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def data_end_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        require_perm(request, ACCESS)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        system = get_object_or_404(System, pk=pk)
        grant = self._open_grant(request, system)
        if grant is not None:
            access_services.access_end(access=grant)
            self.message_user(request, f"Access to {system} ended.", messages.SUCCESS)
        return redirect("admin:tenants_system_change", system.pk)
