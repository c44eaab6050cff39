"""The "Ticket fields" settings page (admins and the owner): add, change, reorder,
archive and restore custom fields."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, require
from servicedesk.forms import add_errors
from tickets.fields import selectors, services
from tickets.fields.forms import TicketFieldForm


@login_required
def field_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_FIELDS)
    form = TicketFieldForm()
    if request.method == "POST":
        form = TicketFieldForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                field = services.ticket_field_create(
                    actor=request.user,
                    label=data["label"],
                    kind=data["kind"],
                    choices=form.choice_lines(),
                    required=data["required"],
                    visibility=data["visibility"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Field “%(label)s” added.") % {"label": field.label})
                return redirect("ticket_field_list")
    return render(
        request,
        "tickets/fields/list.html",
        {"form": form, "fields": selectors.field_list()},
        status=400 if form.is_bound else 200,
    )


@login_required
def field_edit(request: HttpRequest, field_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_FIELDS)
    field = selectors.field_get(field_id=field_id)
    initial = {
        "label": field.label,
        "choices": "\n".join(field.choices),
        "required": field.required,
        "visibility": field.visibility,
    }
    form = TicketFieldForm(initial=initial, editing=True)
    if request.method == "POST":
        form = TicketFieldForm(request.POST, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.ticket_field_update(
                    actor=request.user,
                    field=field,
                    label=data["label"],
                    choices=form.choice_lines(),
                    required=data["required"],
                    visibility=data["visibility"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Field “%(label)s” saved.") % {"label": data["label"]})
                return redirect("ticket_field_list")
    return render(
        request,
        "tickets/fields/edit.html",
        {"form": form, "field": field},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def field_move(request: HttpRequest, field_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_FIELDS)
    field = selectors.field_get(field_id=field_id)
    try:
        services.ticket_field_move(
            actor=request.user, field=field, up=request.POST.get("direction") == "up"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("ticket_field_list")


@login_required
@require_POST
def field_archive(request: HttpRequest, field_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_FIELDS)
    field = selectors.field_get(field_id=field_id)
    archived = request.POST.get("archived") == "1"
    services.ticket_field_archive(actor=request.user, field=field, archived=archived)
    if archived:
        messages.success(
            request,
            _(
                "Field “%(label)s” archived: forms and filters leave it out; tickets keep "
                "their values."
            )
            % {"label": field.label},
        )
    else:
        messages.success(
            request,
            _("Field “%(label)s” restored, at the end of the list.") % {"label": field.label},
        )
    return redirect("ticket_field_list")
