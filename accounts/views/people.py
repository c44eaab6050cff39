"""The seats page: people, roles and invitations, and the actions on them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.forms import BulkInviteForm, InviteForm, RoleForm
from accounts.models import Role
from accounts.permissions import Perm, can, require
from accounts.services import invitations, people, seats
from servicedesk.forms import add_errors
from servicedesk.http import client_ip

PEOPLE_PER_PAGE = 50


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.VIEW_PEOPLE)
    form = InviteForm()
    if request.method == "POST":
        require(request.user, Perm.INVITE)
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitations.invitation_create(
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    ip=client_ip(request),
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("people")
    page = Paginator(selectors.people_for_seats_page(), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/people.html",
        {
            "form": form,
            "page": page,
            "pending": selectors.invitations_pending().select_related("invited_by"),
            "seats": selectors.seat_summary(system=request.system),
            "can_invite": can(request.user, Perm.INVITE),
            "can_manage_invitations": can(request.user, Perm.MANAGE_INVITATIONS),
            "role_form": RoleForm(),
        },
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


@login_required
def invite_many(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.INVITE)
    form = BulkInviteForm()
    results = None
    if request.method == "POST":
        form = BulkInviteForm(request.POST, request.FILES)
        if form.is_valid():
            role = form.cleaned_data["default_role"]
            rows = invitations.parse_invitation_text(
                form.cleaned_data["addresses"], default_role=role
            )
            try:
                if form.cleaned_data["file"]:
                    rows += invitations.parse_invitation_csv(
                        form.cleaned_data["file"].read(), default_role=role
                    )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                try:
                    results = invitations.invitations_create_many(
                        actor=request.user, rows=rows, ip=client_ip(request)
                    )
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    sent = sum(result.ok for result in results)
                    messages.info(
                        request,
                        ngettext(
                            "%(sent)s of %(count)s invitation sent.",
                            "%(sent)s of %(count)s invitations sent.",
                            len(results),
                        )
                        % {"sent": sent, "count": len(results)},
                    )
    return render(
        request,
        "accounts/invite_many.html",
        {"form": form, "results": results},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_POST
def person_role(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.user_get_for_admin(
        actor=request.user, user_id=user_id, perm=Perm.CHANGE_ROLE
    )
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            people.user_change_role(
                actor=request.user,
                user=person,
                role=form.cleaned_data["role"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            role = Role(form.cleaned_data["role"]).label
            messages.success(
                request, _("%(person)s is now %(role)s.") % {"person": person, "role": role}
            )
    else:
        messages.error(request, _("Choose admin, agent or member."))
    return redirect("people")


@login_required
@require_POST
def person_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.user_get_for_admin(actor=request.user, user_id=user_id, perm=Perm.DEACTIVATE)
    seats.user_deactivate(actor=request.user, user=person, ip=client_ip(request))
    messages.success(
        request,
        _("%(person)s is deactivated and signed out; the seat is free.") % {"person": person},
    )
    return redirect("people")


@login_required
@require_POST
def person_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.user_get_for_admin(actor=request.user, user_id=user_id, perm=Perm.REACTIVATE)
    try:
        seats.user_reactivate(actor=request.user, user=person, ip=client_ip(request))
    except seats.SeatsFull as full:
        messages.error(
            request,
            _("All %(cap)s seats of %(system)s are taken. Free a seat first, or ask for more.")
            % {"cap": full.system.seat_cap, "system": full.system},
        )
    else:
        messages.success(request, _("%(person)s is active again.") % {"person": person})
    return redirect("people")


@login_required
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_get_for_admin(actor=request.user, invitation_id=invitation_id)
    try:
        invitations.invitation_resend(
            actor=request.user, invitation=invitation, ip=client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new link was sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect("people")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_get_for_admin(actor=request.user, invitation_id=invitation_id)
    invitations.invitation_revoke(actor=request.user, invitation=invitation, ip=client_ip(request))
    messages.success(
        request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
    )
    return redirect("people")
