"""Contacts: people who wrote by mail without an account. Staff see them; admins invite
them to become people of the System."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Perm, can, require
from servicedesk.http import client_ip
from tickets.mail import selectors
from tickets.mail.services.contacts import contact_invite as invite


@login_required
@require_GET
def contacts(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TICKET_VIEW_ALL)
    value = request.GET.get("page", "1")
    page = selectors.contacts_page(
        q=request.GET.get("q", ""), page=min(int(value), 100_000) if value.isdigit() else 1
    )
    return render(
        request,
        "tickets/mail/contacts.html",
        {"page": page, "may_invite": can(request.user, Perm.INVITE)},
    )


@login_required
@require_POST
def contact_invite(request: HttpRequest, contact_id: int) -> HttpResponse:
    require(request.user, Perm.INVITE)
    try:
        invitation = invite(actor=request.user, contact_pk=contact_id, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "%(email)s is invited. Once he accepts, his tickets are his as a person "
                "of this System."
            )
            % {"email": invitation.email},
        )
    query = request.POST.get("next_query", "")
    return redirect(f"/contacts/?{query}" if query and "\n" not in query else "/contacts/")
