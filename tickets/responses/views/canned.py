"""The canned responses pages: list (shared, then yours), new, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import Perm, can, require
from servicedesk.forms import add_errors
from tickets.responses import selectors, services
from tickets.responses.forms import CannedResponseForm
from tickets.responses.models import CannedResponse


def _sections(items: list, user) -> dict[str, list]:
    for item in items:
        item.may_change = selectors.may_change(user=user, item=item)
    return {
        "shared": [item for item in items if item.owner_id is None],
        "own": [item for item in items if item.owner_id is not None],
    }


@login_required
def response_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    rows = list(selectors.responses_for_user(user=request.user, q=q))
    context = {
        **_sections(rows, request.user),
        "q": q,
        "may_share": can(request.user, Perm.MANAGE_SHARED_TOOLS),
    }
    return render(request, "tickets/responses/list.html", context)


@login_required
def response_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TICKET_WORK)
    ask_shared = can(request.user, Perm.MANAGE_SHARED_TOOLS)
    initial = {"shared": "1" if request.GET.get("shared") == "1" else "0"}
    form = CannedResponseForm(ask_shared=ask_shared, initial=initial)
    if request.method == "POST":
        form = CannedResponseForm(request.POST, ask_shared=ask_shared)
        if form.is_valid():
            data = form.cleaned_data
            try:
                response = services.canned_response_create(
                    actor=request.user,
                    name=data["name"],
                    body=data["body"],
                    shared=data.get("shared", False),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("Canned response “%(name)s” saved.") % {"name": response}
                )
                return redirect("response_list")
    status = 400 if form.is_bound else 200
    context = {"form": form, "item": None}
    return render(request, "tickets/responses/form.html", context, status=status)


def _changeable(request: HttpRequest, response_id: int) -> CannedResponse:
    """His own response, or a shared one for an admin; 404 for another's, 403 for a
    shared one he may only use."""
    response = selectors.response_get_for_user(user=request.user, response_id=response_id)
    if not selectors.may_change(user=request.user, item=response):
        raise PermissionDenied("Only admins change shared responses.")
    return response


@login_required
def response_edit(request: HttpRequest, response_id: int) -> HttpResponse:
    response = _changeable(request, response_id)
    form = CannedResponseForm(initial={"name": response.name, "body": response.body})
    if request.method == "POST":
        form = CannedResponseForm(request.POST)
        if form.is_valid():
            try:
                services.canned_response_update(
                    actor=request.user,
                    response=response,
                    name=form.cleaned_data["name"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("Canned response “%(name)s” saved.") % {"name": response}
                )
                return redirect("response_list")
    status = 400 if form.is_bound else 200
    context = {"form": form, "item": response}
    return render(request, "tickets/responses/form.html", context, status=status)


@login_required
def response_delete(request: HttpRequest, response_id: int) -> HttpResponse:
    response = _changeable(request, response_id)
    if request.method == "POST":
        services.canned_response_delete(actor=request.user, response=response)
        messages.success(request, _("Canned response “%(name)s” deleted.") % {"name": response})
        return redirect("response_list")
    context = {"item": response, "kind": "canned response", "back": "response_list"}
    return render(request, "tickets/responses/delete.html", context)
