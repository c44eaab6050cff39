"""The "Business hours and SLA" settings page (admins): hours, holidays, policies. Each
form posts to its own URL; an error draws the whole page again with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, require
from servicedesk.forms import add_errors
from tickets.models import Priority
from tickets.sla import selectors
from tickets.sla.forms import CategoryPolicyForm, HolidayForm, HoursForm, PoliciesForm, minutes_text
from tickets.sla.services import setup


def _page(request: HttpRequest, *, status: int = 200, **bound: BaseForm) -> HttpResponse:
    hours = selectors.business_hours()
    by_priority, by_category = selectors.policies()
    forms = {
        "hours_form": HoursForm(
            initial={
                "time_zone": hours.time_zone,
                "weekdays": hours.days,
                "opens": hours.opens,
                "closes": hours.closes,
            }
        ),
        "holiday_form": HolidayForm(),
        "policies_form": PoliciesForm(policies=by_priority),
        "category_form": CategoryPolicyForm(),
        **bound,
    }
    category_policies = [
        (
            p,
            Priority(p.priority).label,
            minutes_text(p.response_minutes),
            minutes_text(p.resolution_minutes),
        )
        for p in by_category
    ]
    return render(
        request,
        "tickets/sla/settings.html",
        {
            **forms,
            "holidays": selectors.holidays(),
            "category_policies": category_policies,
            "hours_saved": not hours._state.adding,
        },
        status=status,
    )


@login_required
def sla_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_SLA)
    return _page(request)


def _saved(request: HttpRequest, text: str) -> HttpResponse:
    messages.success(request, _("%(done)s Open tickets are being recomputed.") % {"done": text})
    return redirect("sla_settings")


@login_required
@require_POST
def sla_hours(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_SLA)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            setup.business_hours_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("Business hours saved."))
    return _page(request, status=400, hours_form=form)


@login_required
@require_POST
def sla_holiday_add(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_SLA)
    form = HolidayForm(request.POST)
    if form.is_valid():
        try:
            holiday = setup.holiday_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("%(name)s added.") % {"name": holiday.name})
    return _page(request, status=400, holiday_form=form)


@login_required
@require_POST
def sla_holiday_remove(request: HttpRequest, holiday_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_SLA)
    setup.holiday_remove(actor=request.user, holiday_id=holiday_id)
    return _saved(request, _("Holiday removed."))


@login_required
@require_POST
def sla_policies(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_SLA)
    form = PoliciesForm(request.POST)
    if form.is_valid():
        try:
            setup.policies_set(actor=request.user, targets=form.targets())
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("Targets saved."))
    return _page(request, status=400, policies_form=form)


@login_required
@require_POST
def sla_category_policy_add(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_SLA)
    form = CategoryPolicyForm(request.POST)
    if form.is_valid():
        try:
            setup.category_policy_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("Category targets saved."))
    return _page(request, status=400, category_form=form)


@login_required
@require_POST
def sla_category_policy_remove(request: HttpRequest, policy_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_SLA)
    setup.category_policy_remove(actor=request.user, policy_id=policy_id)
    return _saved(request, _("Category targets removed."))
