"""The macros pages: list (shared, then yours), new, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Perm, can, require
from servicedesk.forms import add_errors
from tickets.responses import selectors, services
from tickets.responses.forms import MacroForm
from tickets.responses.models import Macro
from tickets.responses.views.canned import _sections
from tickets.selectors import staff_people


def _actions(data: dict) -> services.MacroActions:
    return services.MacroActions(
        body=data["body"],
        internal=data["internal"],
        status=data["status"],
        priority=data["priority"],
        assign_to=data["assign_to"],
        assignee=data["assignee"],
        category=data["category"],
        tags=data["tags"],
    )


@login_required
def macro_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    rows = list(selectors.macros_for_user(user=request.user, q=q))
    for row in rows:
        row.summary = selectors.macro_summary(row)  # type: ignore[attr-defined]
    context = {
        **_sections(rows, request.user),
        "q": q,
        "may_share": can(request.user, Perm.MANAGE_SHARED_TOOLS),
    }
    return render(request, "tickets/responses/macros.html", context)


def _assignees(macro: Macro | None):
    people = staff_people()
    if macro is not None and macro.assignee_id:
        people = people | User.objects.filter(pk=macro.assignee_id)
    return people


@login_required
def macro_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TICKET_WORK)
    ask_shared = can(request.user, Perm.MANAGE_SHARED_TOOLS)
    initial = {"shared": "1" if request.GET.get("shared") == "1" else "0"}
    form = MacroForm(ask_shared=ask_shared, initial=initial, assignees=_assignees(None))
    if request.method == "POST":
        form = MacroForm(request.POST, ask_shared=ask_shared, assignees=_assignees(None))
        if form.is_valid():
            try:
                macro = services.macro_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    shared=form.cleaned_data.get("shared", False),
                    actions=_actions(form.cleaned_data),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Macro “%(name)s” saved.") % {"name": macro})
                return redirect("macro_list")
    status = 400 if form.is_bound else 200
    return render(
        request, "tickets/responses/macro_form.html", {"form": form, "item": None}, status=status
    )


def _changeable(request: HttpRequest, macro_id: int) -> Macro:
    macro = selectors.macro_get_for_user(user=request.user, macro_id=macro_id)
    if not selectors.may_change(user=request.user, item=macro):
        raise PermissionDenied("Only admins change shared macros.")
    return macro


def _initial(macro: Macro) -> dict[str, object]:
    return {
        "name": macro.name,
        "body": macro.body,
        "internal": macro.internal,
        "status": macro.status,
        "priority": macro.priority,
        "assign_to": macro.assign_to,
        "assignee": macro.assignee_id,
        "category": macro.category_id,
        "tags": macro.tags,
    }


@login_required
def macro_edit(request: HttpRequest, macro_id: int) -> HttpResponse:
    macro = _changeable(request, macro_id)
    form = MacroForm(initial=_initial(macro), assignees=_assignees(macro))
    if request.method == "POST":
        form = MacroForm(request.POST, assignees=_assignees(macro))
        if form.is_valid():
            try:
                services.macro_update(
                    actor=request.user,
                    macro=macro,
                    name=form.cleaned_data["name"],
                    actions=_actions(form.cleaned_data),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Macro “%(name)s” saved.") % {"name": macro})
                return redirect("macro_list")
    status = 400 if form.is_bound else 200
    return render(
        request, "tickets/responses/macro_form.html", {"form": form, "item": macro}, status=status
    )


@login_required
def macro_delete(request: HttpRequest, macro_id: int) -> HttpResponse:
    macro = _changeable(request, macro_id)
    if request.method == "POST":
        services.macro_delete(actor=request.user, macro=macro)
        messages.success(request, _("Macro “%(name)s” deleted.") % {"name": macro})
        return redirect("macro_list")
    context = {"item": macro, "kind": "macro", "back": "macro_list"}
    return render(request, "tickets/responses/delete.html", context)
