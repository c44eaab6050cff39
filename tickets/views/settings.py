"""Ticket settings: categories (admins) and one's own email preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, require
from accounts.services.people import announcements_preference_set
from tickets.forms import CategoryForm, NotificationPreferenceForm
from tickets.models import Category, NotificationPreference
from tickets.services import categories


@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MANAGE_CATEGORIES)
    form = CategoryForm()
    if request.method == "POST":
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                category = categories.category_create(
                    actor=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                form.add_error("name", error.message_dict.get("name", error.messages))
            else:
                messages.success(request, _("Category “%(name)s” added.") % {"name": category})
                return redirect("category_list")
    return render(
        request,
        "tickets/categories.html",
        {"form": form, "categories": Category.objects.all()},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def category_update(request: HttpRequest, category_id: int) -> HttpResponse:
    require(request.user, Perm.MANAGE_CATEGORIES)
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise Http404("No such category.")
    try:
        categories.category_update(
            actor=request.user,
            category=category,
            name=request.POST.get("name", category.name),
            is_active=request.POST.get("is_active") == "1",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Category “%(name)s” saved.") % {"name": category})
    return redirect("category_list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    preference = NotificationPreference.objects.filter(user=request.user).first()
    preference = preference or NotificationPreference(user=request.user)
    form = NotificationPreferenceForm(
        instance=preference, initial={"announcements": request.user.receives_announcements}
    )
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST, instance=preference)
        if form.is_valid():
            form.save()
            announcements_preference_set(
                user=request.user, receives=form.cleaned_data["announcements"]
            )
            messages.success(request, _("Your email preferences are saved."))
            return redirect("notification_settings")
    return render(request, "tickets/notifications.html", {"form": form})
