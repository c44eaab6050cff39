"""On a ticket's page: the reply box's picker (JSON) and applying a macro."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Perm, require
from tickets.responses import selectors, services
from tickets.selectors import ticket_get_for_user


@login_required
@require_GET
def response_picker(request: HttpRequest, number: int) -> HttpResponse:
    """Canned responses whose name holds ``q``, each filled in for this ticket."""
    ticket = ticket_get_for_user(user=request.user, number=number)
    require(request.user, Perm.TICKET_WORK)
    matches = selectors.response_matches(
        user=request.user, ticket=ticket, q=request.GET.get("q", "")
    )
    results = [
        {"id": match.id, "name": match.name, "shared": match.shared, "text": match.text}
        for match in matches
    ]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def macro_apply(request: HttpRequest, number: int) -> HttpResponse:
    ticket = ticket_get_for_user(user=request.user, number=number)
    require(request.user, Perm.TICKET_WORK)
    raw = request.POST.get("macro", "")
    if not raw.isdigit():
        messages.error(request, _("Choose a macro to apply."))
        return redirect("ticket_detail", number=ticket.number)
    macro = selectors.macro_get_for_user(user=request.user, macro_id=int(raw))
    try:
        services.macro_apply(actor=request.user, ticket=ticket, macro=macro)
    except ValidationError as error:
        messages.error(
            request,
            _("%(reason)s Nothing was changed.") % {"reason": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("Macro “%(name)s” applied.") % {"name": macro})
    return redirect("ticket_detail", number=ticket.number)
