"""Incoming mail: the list for admins, one message, their decisions on it; and the original
of a message that became a ticket or a reply, for whoever may see that ticket."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Perm, can, require
from servicedesk.schema import current_schema
from tickets.mail import selectors
from tickets.mail.models import InboundMessage
from tickets.mail.parsed import ParsedMessage
from tickets.mail.parsing import parse
from tickets.mail.services import review

Status = InboundMessage.Status


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return min(int(value), 100_000) if value.isdigit() else 1


@login_required
@require_GET
def mail_inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_MAIL)
    page = selectors.inbox_page(tab=request.GET.get("tab", "all"), page=_page_number(request))
    return render(request, "tickets/mail/inbox.html", {"page": page})


@dataclass(frozen=True)
class Original:
    """What the pages show of a raw message: parsed, or why it can't be."""

    parsed: ParsedMessage | None
    problem: str


def _original(row: InboundMessage) -> Original:
    if not row.raw:
        return Original(None, _("The original is no longer kept (the message was discarded)."))
    try:
        with row.raw.open("rb") as handle:
            raw = handle.read()
    except OSError:
        return Original(None, _("The original file is missing."))
    try:
        return Original(parse(raw), "")
    except Exception as error:  # noqa: BLE001 - a message the parser can't read is shown as such
        return Original(
            None,
            _("The message can't be read: %(error)s")
            % {"error": f"{type(error).__name__}: {error}"},
        )


@login_required
@require_GET
def mail_message(request: HttpRequest, message_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_MAIL)
    row = selectors.inbound_get(message_pk=message_id)
    return render(
        request,
        "tickets/mail/message.html",
        {
            "row": row,
            "original": None if row.removed_by_operator else _original(row),
            "removed_by_operator": row.removed_by_operator,
            "raw_url": (
                f"/settings/email/messages/{row.pk}/original.eml"
                if row.raw and not row.removed_by_operator
                else ""
            ),
            "may_release": row.status == Status.HELD,
            "may_retry": row.status == Status.FAILED,
            "may_discard": row.status in (Status.HELD, Status.FAILED),
        },
    )


def _raw_response(row: InboundMessage) -> HttpResponse:
    if not row.raw:
        raise Http404("The original is no longer kept.")
    name = f"message-{row.pk}.eml"
    content_type = "message/rfc822"
    mode = settings.FILE_SERVING
    if mode == "django":
        try:
            handle = row.raw.open("rb")
        except OSError:
            raise Http404("The original file is missing.") from None
        response: HttpResponse = FileResponse(
            handle, content_type=content_type, as_attachment=True, filename=name
        )
    else:
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
        if mode == "x-accel":
            prefix = settings.X_ACCEL_PREFIX
            response["X-Accel-Redirect"] = f"{prefix}{current_schema()}/{row.raw.name}"
        else:
            response["X-Sendfile"] = row.raw.path
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def mail_message_raw(request: HttpRequest, message_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_MAIL)
    row = selectors.inbound_get(message_pk=message_id)
    if row.removed_by_operator:
        raise Http404("No such message.")
    return _raw_response(row)


_DECISIONS = {
    "release": (review.inbound_release, gettext_lazy("The message is let in.")),
    "retry": (review.inbound_retry, gettext_lazy("The message will be read again in a moment.")),
    "discard": (
        review.inbound_discard,
        gettext_lazy("The message is discarded; its original is deleted."),
    ),
}


@login_required
@require_POST
def mail_message_decide(request: HttpRequest, message_id: int, decision: str) -> HttpResponse:
    require(request.user, Perm.MANAGE_MAIL)
    if decision not in _DECISIONS:
        raise Http404("No such decision.")
    if not InboundMessage.objects.filter(pk=message_id).exists():
        raise Http404("No such message.")
    service, done = _DECISIONS[decision]
    try:
        row = service(actor=request.user, message_pk=message_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if decision == "release" and row.status == Status.FAILED:
            messages.error(request, _("Letting it in failed: %(reason)s") % {"reason": row.reason})
        elif decision == "release" and row.ticket_id:
            messages.success(
                request,
                f"{done} " + _("It is on ticket #%(number)d.") % {"number": row.ticket.number},
            )
        else:
            messages.success(request, done)
    return redirect("mail_message", message_id=message_id)


@login_required
@require_GET
def mail_original(request: HttpRequest, number: int, inbound_id: int) -> HttpResponse:
    """The full original of a message on a ticket (quoted history, signature and all)."""
    row = selectors.inbound_get_for_ticket(user=request.user, number=number, message_pk=inbound_id)
    staff = can(request.user, Perm.TICKET_VIEW_ALL)
    return render(
        request,
        "tickets/mail/original.html",
        {
            "row": row,
            "ticket": row.ticket,
            "original": _original(row),
            "raw_url": f"/tickets/{number}/mail/{row.pk}/original.eml" if staff and row.raw else "",
            "admin_url": f"/settings/email/messages/{row.pk}/"
            if can(request.user, Perm.MANAGE_MAIL)
            else "",
        },
    )


@login_required
@require_GET
def mail_original_raw(request: HttpRequest, number: int, inbound_id: int) -> HttpResponse:
    """The .eml itself, for staff: it holds every header and address, which members' view
    of the text leaves out."""
    require(request.user, Perm.TICKET_VIEW_ALL)
    row = selectors.inbound_get_for_ticket(user=request.user, number=number, message_pk=inbound_id)
    return _raw_response(row)
