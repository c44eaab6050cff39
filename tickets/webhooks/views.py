"""The "Webhooks" settings pages (owner and admins): endpoints, their secret (shown once),
their delivery log with "Resend" and "Send test event". Everything works without JavaScript;
an error draws the form again with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import Perm, require
from servicedesk.forms import add_errors
from tickets.webhooks import selectors
from tickets.webhooks.forms import EndpointEditForm, EndpointForm
from tickets.webhooks.models import WebhookEndpoint
from tickets.webhooks.services import endpoints as services


def _secret_page(request: HttpRequest, endpoint: WebhookEndpoint, *, new: bool) -> HttpResponse:
    """The secret, this once: never stored in a page cache or sent on as a referrer."""
    response = render(request, "tickets/webhooks/secret.html", {"endpoint": endpoint, "new": new})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
def webhook_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_WEBHOOKS)
    return render(request, "tickets/webhooks/list.html", {"endpoints": list(selectors.endpoints())})


@login_required
@require_http_methods(["GET", "POST"])
def webhook_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_WEBHOOKS)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _secret_page(request, endpoint, new=True)
    status = 400 if form.errors else 200
    return render(request, "tickets/webhooks/form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_edit(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_WEBHOOKS)
    endpoint = selectors.endpoint_get(endpoint_id=endpoint_id)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "is_active": endpoint.is_active,
    }
    form = EndpointEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(actor=request.user, endpoint=endpoint, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Endpoint saved."))
            return redirect("webhook_list")
    status = 400 if form.errors else 200
    return render(
        request,
        "tickets/webhooks/form.html",
        {"form": form, "endpoint": endpoint},
        status=status,
    )


@login_required
@require_POST
def webhook_secret_roll(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_WEBHOOKS)
    endpoint = selectors.endpoint_get(endpoint_id=endpoint_id)
    endpoint = services.endpoint_secret_roll(actor=request.user, endpoint=endpoint)
    return _secret_page(request, endpoint, new=False)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_delete(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_WEBHOOKS)
    endpoint = selectors.endpoint_get(endpoint_id=endpoint_id)
    if request.method == "POST":
        services.endpoint_delete(actor=request.user, endpoint=endpoint)
        messages.success(request, _("Endpoint deleted; it receives nothing more."))
        return redirect("webhook_list")
    return render(request, "tickets/webhooks/delete.html", {"endpoint": endpoint})


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return min(int(value), 100_000) if value.isdigit() else 1


@login_required
@require_GET
def webhook_deliveries(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_WEBHOOKS)
    endpoint = selectors.endpoint_get(endpoint_id=endpoint_id)
    page = selectors.delivery_log(endpoint=endpoint, page=_page_number(request))
    return render(request, "tickets/webhooks/deliveries.html", {"endpoint": endpoint, "page": page})


def _to_log(endpoint: WebhookEndpoint) -> HttpResponse:
    return redirect("webhook_deliveries", endpoint_id=endpoint.pk)


@login_required
@require_POST
def webhook_resend(request: HttpRequest, endpoint_id: int, delivery_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_WEBHOOKS)
    endpoint = selectors.endpoint_get(endpoint_id=endpoint_id)
    delivery = selectors.delivery_get(endpoint=endpoint, delivery_id=delivery_id)
    try:
        services.delivery_resend(actor=request.user, delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent again, with the same Webhook-Id."))
    return _to_log(endpoint)


@login_required
@require_POST
def webhook_ping(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_WEBHOOKS)
    endpoint = selectors.endpoint_get(endpoint_id=endpoint_id)
    try:
        services.endpoint_ping(actor=request.user, endpoint=endpoint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Test event sent: its answer appears below in a moment."))
    return _to_log(endpoint)
