"""Working together on the ticket page: who else is there (a JSON endpoint the page polls)
and "Take it". The reply collision check rides on the ticket page's own reply form
(tickets.views.detail); the page's parts come from tickets.collab.context."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, require
from servicedesk.http import local_path
from tickets import selectors
from tickets.collab import presence
from tickets.collab.forms import PresenceForm, TakeForm
from tickets.collab.services import ticket_take


@login_required
@require_POST
def ticket_presence(request: HttpRequest, number: int) -> HttpResponse:
    """Say "I am on this ticket" (typing or not, or gone); answer who else is, for staff.

    {"others": [{"name": "Dana Scully", "typing": false}], "text": "Dana Scully is viewing"}
    """
    ticket = selectors.ticket_get_for_user(user=request.user, number=number)
    require(request.user, Perm.TICKET_WORK)
    form = PresenceForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if data.get("left"):
        presence.presence_leave(user=request.user, ticket=ticket)
        return JsonResponse({"others": [], "text": ""})
    others = presence.presence_touch(
        user=request.user, ticket=ticket, typing=bool(data.get("typing"))
    )
    response = JsonResponse(
        {
            "others": [{"name": p.name, "typing": p.typing} for p in others],
            "text": presence.presence_text(others),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def ticket_take_view(request: HttpRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, number=number)
    require(request.user, Perm.TICKET_WORK)
    form = TakeForm(request.POST)
    shown = form.cleaned_data.get("assignee") if form.is_valid() else ticket.assignee_id
    back = local_path(request.POST.get("next", "")) or f"/tickets/{ticket.number}/"
    try:
        result = ticket_take(actor=request.user, ticket=ticket, shown_assignee=shown)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if result.conflicts:
        conflict = result.conflicts[0]
        messages.error(
            request,
            _(
                "%(holder)s has #%(number)s now (%(by)s assigned it meanwhile); it stays "
                "theirs. Change the Assignee field to take it anyway."
            )
            % {"holder": conflict.now_text, "number": ticket.number, "by": conflict.changed_by},
        )
    elif result.changed:
        messages.success(request, _("#%(number)s is yours now.") % {"number": ticket.number})
    else:
        messages.info(request, _("#%(number)s was already yours.") % {"number": ticket.number})
    return redirect(back)
