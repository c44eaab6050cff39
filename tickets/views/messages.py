"""Edit the description or a reply or note after posting; delete a reply, note or file
(a confirm page that works without JS). Who may: tickets.message_selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from servicedesk.forms import add_errors
from servicedesk.http import client_ip
from tickets import message_selectors
from tickets.forms import MessageEditForm
from tickets.models import Reply, Ticket
from tickets.services import messages as message_services


def _denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    """403 that says why (the window is over, or it is someone else's message)."""
    reason = str(error) or _("You can't change this message.")
    return render(request, "tickets/message_denied.html", {"reason": reason}, status=403)


def _text(message: Ticket | Reply) -> str:
    return message.description if isinstance(message, Ticket) else message.body


def _edit(request: HttpRequest, ticket: Ticket, message: Ticket | Reply) -> HttpResponse:
    if message.removed_reason:  # hidden by the operator: not shown again, even in a form
        return _denied(request, PermissionDenied(_("The operator removed this message.")))
    shown = message_selectors.text_digest(_text(message))
    form = MessageEditForm(initial={"body": _text(message), "shown": shown})
    conflict = None
    status = 200
    if request.method == "POST":
        form = MessageEditForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                result = message_services.message_edit(
                    actor=request.user,
                    message=message,
                    body=form.cleaned_data["body"],
                    shown=form.cleaned_data["shown"],
                    ip=client_ip(request),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                if result.conflict is None:
                    if result.changed:
                        messages.success(request, _("Your changes are saved."))
                    anchor = "" if isinstance(message, Ticket) else f"#reply-{message.pk}"
                    return redirect(f"/tickets/{ticket.number}/{anchor}")
                # His text stays in the box; the form now carries the text as it is, so
                # saving again replaces it on purpose.
                conflict = result.conflict
                data = request.POST.copy()
                data["shown"] = message_selectors.text_digest(conflict.body)
                form = MessageEditForm(data)
                form.is_valid()
                status = 409
    context = {
        "ticket": ticket,
        "message": message,
        "kind": "description"
        if isinstance(message, Ticket)
        else ("note" if message.is_internal else "reply"),
        "form": form,
        "conflict": conflict,
    }
    return render(request, "tickets/message_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def description_edit(request: HttpRequest, number: int) -> HttpResponse:
    try:
        ticket = message_selectors.description_get_for_change(user=request.user, number=number)
    except PermissionDenied as error:
        return _denied(request, error)
    return _edit(request, ticket, ticket)


@login_required
@require_http_methods(["GET", "POST"])
def reply_edit(request: HttpRequest, number: int, reply_id: int) -> HttpResponse:
    try:
        reply = message_selectors.reply_get_for_change(
            user=request.user, number=number, reply_id=reply_id
        )
    except PermissionDenied as error:
        return _denied(request, error)
    return _edit(request, reply.ticket, reply)


@login_required
@require_http_methods(["GET", "POST"])
def reply_delete(request: HttpRequest, number: int, reply_id: int) -> HttpResponse:
    try:
        reply = message_selectors.reply_get_for_change(
            user=request.user, number=number, reply_id=reply_id
        )
    except PermissionDenied as error:
        return _denied(request, error)
    if request.method == "POST":
        try:
            message_services.message_delete(
                actor=request.user, message=reply, ip=client_ip(request)
            )
        except PermissionDenied as error:  # the window closed while he read the page
            return _denied(request, error)
        messages.success(
            request, _("The note is deleted.") if reply.is_internal else _("The reply is deleted.")
        )
        return redirect(f"/tickets/{number}/#reply-{reply.pk}")
    context = {"ticket": reply.ticket, "kind": "note" if reply.is_internal else "reply"}
    return render(request, "tickets/message_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request: HttpRequest, number: int, attachment_id: int) -> HttpResponse:
    try:
        attachment = message_selectors.attachment_get_for_change(
            user=request.user, number=number, attachment_id=attachment_id
        )
    except PermissionDenied as error:
        return _denied(request, error)
    if request.method == "POST":
        try:
            message_services.attachment_delete(
                actor=request.user, attachment=attachment, ip=client_ip(request)
            )
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            # Not its name: the flash waits in the session, and the name is gone everywhere.
            messages.success(request, _("The file is deleted."))
        return redirect("ticket_detail", number=number)
    context = {"ticket": attachment.ticket, "kind": "file", "file": attachment}
    return render(request, "tickets/message_delete.html", context)
