"""The trash: move a ticket or a file there (a confirm page that works without JS), list
what is in it, restore it or delete it for good."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import Perm
from servicedesk.http import client_ip
from tickets import selectors, trash_selectors
from tickets.services import trash


def _require_trash(request: HttpRequest) -> None:
    if not trash.trash_allowed(user=request.user, system=request.system):
        raise PermissionDenied(Perm.TRASH.value)


def _page_number(request: HttpRequest, key: str) -> int:
    value = request.GET.get(key, "1")
    return int(value) if value.isdigit() else 1


@login_required
@require_http_methods(["GET"])
def trash_list(request: HttpRequest) -> HttpResponse:
    _require_trash(request)
    tickets_page, ticket_rows = trash_selectors.trashed_tickets(page=_page_number(request, "page"))
    files_page, file_rows = trash_selectors.trashed_files(page=_page_number(request, "files"))
    return render(
        request,
        "tickets/trash.html",
        {
            "tickets_page": tickets_page,
            "ticket_rows": ticket_rows,
            "files_page": files_page,
            "file_rows": file_rows,
            "trash_days": settings.TRASH_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ticket_trash(request: HttpRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, number=number)
    _require_trash(request)
    if request.method == "POST":
        trash.ticket_trash(
            actor=request.user, ticket=ticket, ip=client_ip(request), system=request.system
        )
        messages.success(
            request,
            ngettext(
                "Ticket #%(number)d is in the trash. It can be restored for %(days)d day.",
                "Ticket #%(number)d is in the trash. It can be restored for %(days)d days.",
                settings.TRASH_DAYS,
            )
            % {"number": ticket.number, "days": settings.TRASH_DAYS},
        )
        return redirect("ticket_list")
    return render(
        request,
        "tickets/trash_confirm.html",
        {"kind": "ticket", "ticket": ticket, "trash_days": settings.TRASH_DAYS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_trash(request: HttpRequest, number: int, attachment_id: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user(
        user=request.user, number=number, attachment_id=attachment_id
    )
    _require_trash(request)
    if request.method == "POST":
        trash.attachment_trash(
            actor=request.user, attachment=attachment, ip=client_ip(request), system=request.system
        )
        messages.success(
            request,
            ngettext(
                "%(name)s is in the trash. It can be restored for %(days)d day.",
                "%(name)s is in the trash. It can be restored for %(days)d days.",
                settings.TRASH_DAYS,
            )
            % {"name": attachment.original_name, "days": settings.TRASH_DAYS},
        )
        return redirect("ticket_detail", number=number)
    return render(
        request,
        "tickets/trash_confirm.html",
        {
            "kind": "file",
            "ticket": attachment.ticket,
            "file": attachment,
            "trash_days": settings.TRASH_DAYS,
        },
    )


@login_required
@require_POST
def trash_ticket_restore(request: HttpRequest, trashed_number: int) -> HttpResponse:
    _require_trash(request)
    ticket = trash_selectors.trashed_ticket_get(number=trashed_number)
    trash.ticket_restore(
        actor=request.user, ticket=ticket, ip=client_ip(request), system=request.system
    )
    messages.success(request, _("Ticket #%(number)d is back.") % {"number": ticket.number})
    return redirect("trash")


@login_required
@require_http_methods(["GET", "POST"])
def trash_ticket_purge(request: HttpRequest, trashed_number: int) -> HttpResponse:
    _require_trash(request)
    ticket = trash_selectors.trashed_ticket_get(number=trashed_number)
    if request.method == "POST":
        trash.ticket_purge(
            actor=request.user, ticket=ticket, ip=client_ip(request), system=request.system
        )
        messages.success(
            request, _("Ticket #%(number)d is deleted for good.") % {"number": ticket.number}
        )
        return redirect("trash")
    return render(request, "tickets/trash_purge.html", {"kind": "ticket", "ticket": ticket})


@login_required
@require_POST
def trash_file_restore(request: HttpRequest, trashed_file_id: int) -> HttpResponse:
    _require_trash(request)
    attachment = trash_selectors.trashed_file_get(attachment_id=trashed_file_id)
    trash.attachment_restore(
        actor=request.user, attachment=attachment, ip=client_ip(request), system=request.system
    )
    if attachment.ticket.deleted_at is not None:
        messages.success(
            request,
            _("%(name)s is restored; its ticket #%(number)d is still in the trash.")
            % {"name": attachment.original_name, "number": attachment.ticket.number},
        )
    else:
        messages.success(request, _("%(name)s is back.") % {"name": attachment.original_name})
    return redirect("trash")


@login_required
@require_http_methods(["GET", "POST"])
def trash_file_purge(request: HttpRequest, trashed_file_id: int) -> HttpResponse:
    _require_trash(request)
    attachment = trash_selectors.trashed_file_get(attachment_id=trashed_file_id)
    if request.method == "POST":
        try:
            trash.attachment_purge(
                actor=request.user,
                attachment=attachment,
                ip=client_ip(request),
                system=request.system,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s is deleted for good.") % {"name": attachment.original_name}
            )
        return redirect("trash")
    return render(
        request,
        "tickets/trash_purge.html",
        {"kind": "file", "file": attachment, "ticket": attachment.ticket},
    )


@login_required
@require_POST
def agents_may_delete(request: HttpRequest) -> HttpResponse:
    """The owner's switch on the settings page."""
    allowed = request.POST.get("agents_may_delete") == "on"
    trash.agents_may_delete_set(actor=request.user, allowed=allowed, ip=client_ip(request))
    messages.success(
        request,
        _("Agents may now move tickets and files to the trash.")
        if allowed
        else _("Only admins and the owner may use the trash now."),
    )
    return redirect("system_settings")
