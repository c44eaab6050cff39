"""The Email settings page: the support address, who may write, forwarding addresses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, require
from servicedesk.forms import add_errors
from servicedesk.http import client_ip
from tickets.mail import addresses
from tickets.mail.forms import ForwardingForm, WhoMayWriteForm
from tickets.mail.models import ForwardingAddress, MailSettings, WhoMayWrite
from tickets.mail.services import forwarding as forwarding_services
from tickets.mail.services.mail_settings import who_may_write_set


def _page(request, *, who_form=None, forwarding_form=None, status=200) -> HttpResponse:
    if who_form is None:
        row = MailSettings.objects.only("who_may_write").first()
        who = row.who_may_write if row is not None else WhoMayWrite.PEOPLE
        who_form = WhoMayWriteForm(initial={"who_may_write": who})
    context = {
        "support_address": addresses.support_address(slug=request.system.slug),
        "who_form": who_form,
        "forwarding_form": forwarding_form or ForwardingForm(),
        "forwardings": list(ForwardingAddress.objects.order_by("address")),
    }
    return render(request, "tickets/mail/settings.html", context, status=status)


@login_required
def mail_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_MAIL)
    if request.method != "POST":
        return _page(request)
    form = WhoMayWriteForm(request.POST)
    if form.is_valid():
        try:
            who_may_write_set(
                actor=request.user, who=form.cleaned_data["who_may_write"], ip=client_ip(request)
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Who may open tickets by mail is saved."))
            return redirect("mail_settings")
    return _page(request, who_form=form, status=400)


@login_required
@require_POST
def forwarding_add(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_MAIL)
    form = ForwardingForm(request.POST)
    if form.is_valid():
        try:
            added = forwarding_services.forwarding_add(
                actor=request.user, address=form.cleaned_data["address"], ip=client_ip(request)
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "A confirmation mail is on its way to %(address)s. Once your forwarding "
                    "passes it on to us, the address shows as confirmed."
                )
                % {"address": added.address},
            )
            return redirect("mail_settings")
    return _page(request, forwarding_form=form, status=400)


@login_required
@require_POST
def forwarding_resend(request: HttpRequest, forwarding_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_MAIL)
    try:
        found = forwarding_services.forwarding_resend(
            actor=request.user, forwarding_pk=forwarding_id, ip=client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The confirmation mail is sent to %(address)s again.") % {"address": found.address},
        )
    return redirect("mail_settings")


@login_required
@require_POST
def forwarding_remove(request: HttpRequest, forwarding_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_MAIL)
    try:
        address = forwarding_services.forwarding_remove(
            actor=request.user, forwarding_pk=forwarding_id, ip=client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(address)s is no longer listed.") % {"address": address})
    return redirect("mail_settings")
