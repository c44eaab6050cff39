"""The agents' page of sections: add, rename, order, delete an empty one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.forms import add_errors
from tickets.kb import selectors, services
from tickets.kb.forms import SectionForm
from tickets.kb.views.manage import _writer


@login_required
def kb_sections(request: HttpRequest) -> HttpResponse:
    _writer(request)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Section “%(name)s” added.") % {"name": section})
            return redirect("kb_sections")
    return render(
        request,
        "tickets/kb/sections.html",
        {"form": form, "sections": selectors.sections_with_counts()},
        status=400 if form.is_bound else 200,
    )


@login_required
def kb_section_edit(request: HttpRequest, section_id: int) -> HttpResponse:
    section = selectors.section_for_writer(user=request.user, section_id=section_id)
    initial = {
        "name": section.name,
        "description": section.description,
        "position": section.position,
    }
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(actor=request.user, section=section, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Section “%(name)s” saved.") % {"name": section})
            return redirect("kb_sections")
    return render(
        request,
        "tickets/kb/section_form.html",
        {"form": form, "section": section},
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def kb_section_delete(request: HttpRequest, section_id: int) -> HttpResponse:
    section = selectors.section_for_writer(user=request.user, section_id=section_id)
    try:
        services.section_delete(actor=request.user, section=section)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Section “%(name)s” deleted.") % {"name": section})
    return redirect("kb_sections")
