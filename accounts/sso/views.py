"""The Single sign-on settings page (admins and the owner): the provider, the policy, the
verified domains. Each view parses, calls one service, and redirects or renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, require
from accounts.sso import selectors, services
from accounts.sso.forms import DomainForm, PolicyForm, ProviderForm
from servicedesk.forms import add_errors
from servicedesk.http import client_ip
from tenants.selectors import system_url


def _page(
    request: HttpRequest,
    *,
    provider_form: ProviderForm | None = None,
    policy_form: PolicyForm | None = None,
    domain_form: DomainForm | None = None,
    status: int = 200,
) -> HttpResponse:
    app = selectors.sso_app()
    policy = selectors.sso_settings()
    if provider_form is None:
        initial = (
            {"name": app.name, "issuer": selectors.sso_issuer(app), "client_id": app.client_id}
            if app
            else {}
        )
        provider_form = ProviderForm(initial=initial, connected=app is not None)
    if policy_form is None:
        policy_form = PolicyForm(
            initial={field: getattr(policy, field) for field in services.POLICY_FIELDS}
        )
    context = {
        "app": app,
        "issuer": selectors.sso_issuer(app) if app else "",
        "policy": policy,
        "provider_form": provider_form,
        "policy_form": policy_form,
        "domain_form": domain_form or DomainForm(),
        "domains": selectors.domains_for_user(user=request.user),
        "redirect_uri": system_url(system=request.system, path=selectors.callback_path()),
    }
    return render(request, "accounts/sso/settings.html", context, status=status)


@login_required
def sso_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_SSO)
    if request.method != "POST":
        return _page(request)
    connected = selectors.sso_app() is not None
    form = ProviderForm(request.POST, connected=connected)
    if form.is_valid():
        try:
            services.sso_connect(actor=request.user, ip=client_ip(request), **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The provider is connected: its settings answered.")
                if not connected
                else _("The provider's settings are saved: its settings answered."),
            )
            return redirect("sso_settings")
    return _page(request, provider_form=form, status=400)


@login_required
@require_POST
def sso_disconnect(request: HttpRequest) -> HttpResponse:
    services.sso_disconnect(actor=request.user, ip=client_ip(request))
    messages.success(
        request, _("The provider is disconnected; everyone signs in with a password again.")
    )
    return redirect("sso_settings")


@login_required
@require_POST
def sso_policy(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_SSO)
    form = PolicyForm(request.POST)
    if form.is_valid():
        try:
            services.sso_policy_set(actor=request.user, ip=client_ip(request), **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Single sign-on settings saved."))
            return redirect("sso_settings")
    return _page(request, policy_form=form, status=400)


@login_required
@require_POST
def sso_domain_add(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_SSO)
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            domain = services.domain_add(
                actor=request.user, domain=form.cleaned_data["domain"], ip=client_ip(request)
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Publish the TXT record shown for %(domain)s, then press “Check now”.")
                % {"domain": domain.domain},
            )
            return redirect("sso_settings")
    return _page(request, domain_form=form, status=400)


@login_required
@require_POST
def sso_domain_check(request: HttpRequest, domain_id: int) -> HttpResponse:
    domain = selectors.domain_get_for_user(user=request.user, domain_id=domain_id)
    was_verified = domain.verified_at is not None
    domain = services.domain_check(actor=request.user, domain=domain, ip=client_ip(request))
    if domain.check_error:
        messages.error(request, domain.check_error)
    elif not was_verified:
        messages.success(request, _("%(domain)s is verified.") % {"domain": domain.domain})
    else:
        messages.success(request, _("%(domain)s is still verified.") % {"domain": domain.domain})
    return redirect("sso_settings")


@login_required
@require_POST
def sso_domain_remove(request: HttpRequest, domain_id: int) -> HttpResponse:
    domain = selectors.domain_get_for_user(user=request.user, domain_id=domain_id)
    services.domain_remove(actor=request.user, domain=domain, ip=client_ip(request))
    messages.success(request, _("%(domain)s is removed.") % {"domain": domain.domain})
    return redirect("sso_settings")
