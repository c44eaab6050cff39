"""Deleting an account: someone else's (owner, admins) or one's own (after the password)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteOwnAccountForm
from accounts.models import Role, User
from accounts.permissions import Perm, require
from accounts.services import removal
from servicedesk.http import client_ip


@login_required
@require_http_methods(["GET", "POST"])
def person_delete(request: HttpRequest, user_id: int) -> HttpResponse:
    require(request.user, Perm.DEACTIVATE)
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise Http404(_("No such person."))
    require(request.user, Perm.DEACTIVATE, person)
    if request.method == "POST":
        email = removal.user_delete(actor=request.user, user=person, ip=client_ip(request))
        messages.success(
            request,
            _("The account of %(email)s is deleted; what they wrote now reads “Deleted user”.")
            % {"email": email},
        )
        return redirect("people")
    return render(request, "accounts/delete_person.html", {"person": person})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteOwnAccountForm()
    is_owner = request.user.role == Role.OWNER
    if request.method == "POST" and not is_owner:
        form = DeleteOwnAccountForm(request.POST)
        if form.is_valid():
            try:
                removal.account_delete_own(
                    user=request.user,
                    password=form.cleaned_data["password"],
                    ip=client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                logout(request)
                return render(request, "accounts/account_deleted.html")
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form, "is_owner": is_owner},
        status=400 if request.method == "POST" else 200,
    )
