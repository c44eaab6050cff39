"""Pages and actions of saved views: save the list's filters as a view, change, reorder and
delete views. The list page itself (tickets.views.lists) opens them and shows the sidebar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, can, require
from servicedesk.forms import add_errors
from tickets.saved import selectors, services
from tickets.saved.forms import SavedViewCreateForm, SavedViewForm
from tickets.saved.query import Parser, query_normalise
from tickets.saved.selectors import ViewLink


def _link(view) -> ViewLink:
    return ViewLink(str(view.pk), view.name, view.query, view)


@login_required
def saved_view_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TICKET_WORK)
    views = selectors.saved_views_for_user(user=request.user)
    may_share = can(request.user, Perm.MANAGE_SHARED_TOOLS)
    return render(
        request,
        "tickets/saved/list.html",
        {
            "groups": [
                (_("Shared"), [_link(view) for view in views if view.is_shared], may_share),
                (_("Yours"), [_link(view) for view in views if not view.is_shared], True),
            ]
        },
    )


@login_required
def saved_view_new(request: HttpRequest, *, parse: Parser) -> HttpResponse:
    """Save the list's filters (the page's query) as a view; GET shows the form alone."""
    require(request.user, Perm.TICKET_WORK)
    may_share = can(request.user, Perm.MANAGE_SHARED_TOOLS)
    if request.method != "POST":
        query = query_normalise(request.GET, parse=parse)
        form = SavedViewCreateForm(initial={"query": query}, may_share=may_share)
        return render(request, "tickets/saved/new.html", {"form": form, "query": query})
    form = SavedViewCreateForm(request.POST, may_share=may_share)
    query = query_normalise(request.POST.get("query", ""), parse=parse)
    if form.is_valid():
        try:
            view = services.saved_view_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                query=query,
                columns=form.cleaned_data["columns"],
                shared=form.cleaned_data.get("shared", False),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
            return redirect(_link(view).url)
    return render(request, "tickets/saved/new.html", {"form": form, "query": query}, status=400)


@login_required
def saved_view_edit(request: HttpRequest, view_id: int) -> HttpResponse:
    """Rename a view and choose its columns."""
    view = selectors.saved_view_get_for_user(user=request.user, view_id=view_id)
    if not selectors.saved_view_may_change(user=request.user, view=view):
        raise PermissionDenied("Only admins change shared views.")
    form = SavedViewForm(initial={"name": view.name, "columns": view.columns or None})
    if request.method == "POST":
        form = SavedViewForm(request.POST)
        if form.is_valid():
            try:
                services.saved_view_change(
                    actor=request.user,
                    view=view,
                    name=form.cleaned_data["name"],
                    columns=form.cleaned_data["columns"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("View “%(name)s” changed.") % {"name": view.name})
                return redirect(_link(view).url)
    return render(
        request,
        "tickets/saved/edit.html",
        {"form": form, "view": view, "link": _link(view)},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def saved_view_update(request: HttpRequest, view_id: int, *, parse: Parser) -> HttpResponse:
    """ "Update this view" with the list's filters now."""
    view = selectors.saved_view_get_for_user(user=request.user, view_id=view_id)
    query = query_normalise(request.POST.get("query", ""), parse=parse)
    try:
        services.saved_view_set_query(actor=request.user, view=view, query=query)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("View “%(name)s” now shows these filters.") % {"name": view.name}
        )
    return redirect(_link(view).url)


@login_required
@require_POST
def saved_view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    view = selectors.saved_view_get_for_user(user=request.user, view_id=view_id)
    services.saved_view_delete(actor=request.user, view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect("saved_view_list")


@login_required
@require_POST
def saved_view_move(request: HttpRequest, view_id: int) -> HttpResponse:
    view = selectors.saved_view_get_for_user(user=request.user, view_id=view_id)
    services.saved_view_move(actor=request.user, view=view, up=request.POST.get("to") == "up")
    return redirect("saved_view_list")
