"""The API tokens pages: each person's own (account area) and the System's (settings area,
admins). A new token's secret is shown once, on the answer to the form that made it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.apitokens import selectors, services
from accounts.apitokens.forms import ApiTokenForm
from accounts.apitokens.models import ApiToken
from accounts.permissions import Perm, require
from servicedesk.forms import add_errors
from servicedesk.http import client_ip


def _page(
    request: HttpRequest, *, kind: str, tokens: QuerySet[ApiToken], template: str
) -> HttpResponse:
    form = ApiTokenForm(user=request.user)
    issued = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                issued = services.api_token_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    kind=kind,
                    expires_at=form.expires_at(),
                    ip=client_ip(request),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Token “%(name)s” created. Copy it now: it is not shown again.")
                    % {"name": issued.token.name},
                )
                form = ApiTokenForm(user=request.user)
    response = render(
        request,
        template,
        {"form": form, "tokens": tokens, "issued": issued},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
    if issued is not None:
        response["Cache-Control"] = "no-store"  # the secret stays out of every cache
    return response


@login_required
def personal_tokens(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        kind=ApiToken.Kind.PERSONAL,
        tokens=selectors.personal_tokens(user=request.user),
        template="accounts/api_tokens.html",
    )


@login_required
def system_tokens(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_API_TOKENS)
    return _page(
        request,
        kind=ApiToken.Kind.SYSTEM,
        tokens=selectors.system_tokens(),
        template="accounts/system_api_tokens.html",
    )


def _revoke(request: HttpRequest, token_id: int) -> None:
    token = selectors.api_token_get_for_user(user=request.user, token_id=token_id)
    services.api_token_revoke(actor=request.user, token=token, ip=client_ip(request))
    messages.success(
        request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name}
    )


@login_required
@require_POST
def personal_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    _revoke(request, token_id)
    return redirect("api_tokens")


@login_required
@require_POST
def system_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_API_TOKENS)
    _revoke(request, token_id)
    return redirect("system_api_tokens")
