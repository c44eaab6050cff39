"""The public form on a System's host to claim an account, and its confirmation link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.forms import AccountClaimForm
from accounts.services.claims import (
    account_claim_confirm,
    account_claim_from_token,
    account_claim_send,
)
from servicedesk.forms import add_errors
from servicedesk.http import client_ip


def account_claim(request: HttpRequest) -> HttpResponse:
    form = AccountClaimForm()
    if request.method == "POST":
        form = AccountClaimForm(request.POST)
        if form.is_valid():
            try:
                dispute = account_claim_send(
                    system=request.system, ip=client_ip(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return render(request, "accounts/claim_sent.html", {"dispute": dispute})
    return render(
        request, "accounts/claim.html", {"form": form}, status=400 if form.is_bound else 200
    )


def account_claim_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    # Confirmed by a button, not by opening the link: mail scanners open links too.
    dispute = account_claim_from_token(system=request.system, token=token)
    if dispute is None:
        raise Http404(_("This link is not valid, or older than three days."))
    if request.method == "POST":
        dispute = account_claim_confirm(dispute=dispute)
    return render(request, "accounts/claim_confirm.html", {"dispute": dispute})
