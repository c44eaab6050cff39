"""Terms and privacy pages (public site and every System), and accepting new terms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.permissions import Perm, require
from accounts.services.people import announcements_preference_set
from legal import selectors
from legal.models import ContentKind, ContentReport, Takedown, TermsVersion
from legal.services import takedowns
from legal.services.consents import consents_update, unsubscribe_user
from legal.services.terms import terms_accept, terms_decline
from servicedesk.forms import Form
from servicedesk.http import client_ip, local_path, user_agent
from servicedesk.markdown import MAX_DOCUMENT_CHARS, render_markdown

TITLES = {"terms": gettext_lazy("Terms of service"), "privacy": gettext_lazy("Privacy policy")}


def _document_page(request: HttpRequest, document: str, version: str | None) -> HttpResponse:
    history = selectors.terms_history(document)
    if version:
        shown = selectors.terms_get(version=version, document=document)
    else:
        current = selectors.terms_current(document)
        shown = selectors.terms_get(version=current.version, document=document) if current else None
    if shown is None:
        raise Http404("No such version.")
    context = {
        "document": document,
        "title": TITLES[document],
        "shown": shown,
        "body": render_markdown(selectors.terms_body(version=shown), limit=MAX_DOCUMENT_CHARS),
        "history": history,
        "current": selectors.terms_current(document),
        "upcoming": selectors.terms_upcoming(document),
    }
    if document == "privacy":
        context["analytics"] = selectors.analytics_providers()
    return render(request, "legal/document.html", context)


def terms(request: HttpRequest, version: str | None = None) -> HttpResponse:
    return _document_page(request, "terms", version)


def privacy(request: HttpRequest, version: str | None = None) -> HttpResponse:
    return _document_page(request, "privacy", version)


def _diff_page(request: HttpRequest, document: str) -> HttpResponse:
    old = selectors.terms_get(version=request.GET.get("from", ""), document=document)
    new = selectors.terms_get(version=request.GET.get("to", ""), document=document)
    if old is None or new is None:
        raise Http404("Choose two versions.")
    return render(
        request,
        "legal/diff.html",
        {
            "document": document,
            "title": TITLES[document],
            "old": old,
            "new": new,
            "diff": selectors.diff_html(selectors.terms_diff(old, new)),
            "history": selectors.terms_history(document),
        },
    )


def terms_diff(request: HttpRequest) -> HttpResponse:
    return _diff_page(request, "terms")


def privacy_diff(request: HttpRequest) -> HttpResponse:
    return _diff_page(request, "privacy")


def _next_url(request: HttpRequest) -> str:
    return local_path(request.POST.get("next") or request.GET.get("next")) or "/"


@login_required
@require_http_methods(["GET", "POST"])
def terms_accept_page(request: HttpRequest) -> HttpResponse:
    current = selectors.terms_current()
    if current is None:
        return redirect("/")
    if request.method == "POST":
        if request.POST.get("decision") == "accept":
            terms_accept(
                user=request.user,
                version=current,
                ip=client_ip(request),
                user_agent=user_agent(request),
            )
            request.session["terms_ok"] = current.pk
            return redirect(_next_url(request))
        if request.POST.get("decision") == "decline":
            terms_decline(user=request.user, version=current, ip=client_ip(request))
            logout(request)
            return render(
                request,
                "legal/declined.html",
                {"terms": current, "operator_email": settings.OPERATOR_EMAIL},
            )
    previous = (
        TermsVersion.objects.filter(
            document=TermsVersion.Document.TERMS, effective_at__lt=current.effective_at
        )
        .order_by("-effective_at")
        .first()
    )
    return render(
        request,
        "legal/accept.html",
        {"terms": current, "previous": previous, "next": _next_url(request)},
    )


@login_required
def terms_status(request: HttpRequest) -> HttpResponse:
    """Owners see who in their System hasn't accepted the terms in effect yet."""
    require(request.user, Perm.CHANGE_SETTINGS)
    current = selectors.terms_current()
    people = selectors.people_without_acceptance(version=current) if current else None
    page = Paginator(people, 100).get_page(request.GET.get("page")) if people is not None else None
    return render(request, "legal/terms_status.html", {"terms": current, "page": page})


@login_required
def operator_access(request: HttpRequest) -> HttpResponse:
    """Every time the operator opened this System's data: who, when, why, and what."""
    require(request.user, Perm.VIEW_OPERATOR_ACCESS)
    grants = selectors.operator_access_for_system(system_id=request.system.pk)
    page = Paginator(grants, 20).get_page(request.GET.get("page"))
    return render(request, "legal/operator_access.html", {"page": page})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the email (a POST behind a button, so mail scanners don't click)."""
    user = unsubscribe_user(token)
    if user is None:
        raise Http404("This link is not valid.")
    if request.method == "POST":
        announcements_preference_set(user=user, receives=False)
        return render(request, "legal/unsubscribed.html", {"person": user, "done": True})
    return render(request, "legal/unsubscribed.html", {"person": user, "done": False})


class ReportForm(Form):
    category = forms.ChoiceField(
        choices=ContentReport.Category.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("What is wrong"),
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Anything to add"),
    )


@login_required
def content_report(request: HttpRequest, number: int) -> HttpResponse:
    """Report a ticket, a reply or a file as prohibited content."""
    kind = request.GET.get("kind", ContentKind.TICKET)
    object_id = int(request.GET.get("id", "0") or 0) if request.GET.get("id", "0").isdigit() else 0
    obj = takedowns.content_for_user(
        user=request.user, number=number, kind=kind, object_id=object_id
    )
    form = ReportForm()
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            takedowns.content_report(
                actor=request.user,
                kind=kind,
                obj=obj,
                category=form.cleaned_data["category"],
                note=form.cleaned_data["note"],
                ip=client_ip(request),
            )
            messages.success(request, _("Thank you. The operator of Service Desk will review it."))
            return redirect("ticket_detail", number=number)
    return render(
        request,
        "legal/report.html",
        {"form": form, "number": number, "kind": ContentKind(kind)},
        status=400 if form.is_bound else 200,
    )


@login_required
def takedown_list(request: HttpRequest) -> HttpResponse:
    """Content the operator removed here, and the answers of the System's admins."""
    require(request.user, Perm.ANSWER_TAKEDOWNS)
    if request.method == "POST":
        try:
            takedowns.takedown_appeal(
                actor=request.user,
                takedown_id=int(request.POST.get("takedown", "0") or 0),
                text=request.POST.get("text", ""),
                ip=client_ip(request),
            )
        except (ValidationError, Takedown.DoesNotExist) as error:
            text = " ".join(getattr(error, "messages", [])) or _("No such takedown.")
            messages.error(request, text)
        else:
            messages.success(request, _("Your answer was sent to the operator."))
        return redirect("takedown_list")
    removals = (
        Takedown.objects.filter(system_id=request.system.pk)
        .select_related("notice")
        .order_by("-created_at")
    )
    return render(
        request,
        "legal/takedowns.html",
        {"page": Paginator(removals, 25).get_page(request.GET.get("page"))},
    )


class ConsentForm(Form):
    reference = forms.BooleanField(
        required=False,
        label=gettext_lazy("Service Desk may name our company as a customer"),
        help_text=gettext_lazy("For example on its website or when talking to other companies."),
    )
    announcements = forms.BooleanField(
        required=False,
        label=gettext_lazy("People here may receive news about new features"),
        help_text=gettext_lazy(
            "Each person can still turn them off; every email has an unsubscribe link."
        ),
    )


@login_required
def consents(request: HttpRequest) -> HttpResponse:
    """The owner's consents: reference customer, feature announcements."""
    require(request.user, Perm.CHANGE_SETTINGS)
    system = request.system
    form = ConsentForm(
        initial={
            "reference": system.consent_reference,
            "announcements": system.consent_announcements,
        }
    )
    if request.method == "POST":
        form = ConsentForm(request.POST)
        form.is_valid()  # two checkboxes: always valid; absent means "no"
        consents_update(
            actor=request.user,
            reference=form.cleaned_data.get("reference", False),
            announcements=form.cleaned_data.get("announcements", False),
            ip=client_ip(request),
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("consents")
    return render(request, "legal/consents.html", {"form": form})
