"""The agents' pages: the articles (filters, write, edit, history, delete), the article
picker of the reply box, and the help center's setting (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Perm, can, require
from servicedesk.forms import add_errors
from servicedesk.http import client_ip
from tenants.selectors import system_url
from tickets.kb import selectors, services
from tickets.kb.forms import ArticleForm, HelpCenterForm
from tickets.kb.models import Article, KbSection, Language, Visibility
from tickets.kb.views.center import _page_number


def _writer(request: HttpRequest) -> None:
    # Members and visitors meet a 404, as for any page that is not theirs to know.
    if not selectors.is_writer(request.user):
        raise Http404("No such page.")


def _filters(request: HttpRequest) -> selectors.ArticleFilters:
    section = request.GET.get("section", "")
    visibility = request.GET.get("visibility", "")
    language = request.GET.get("language", "")
    return selectors.ArticleFilters(
        section=int(section) if section.isdigit() else None,
        visibility=visibility if visibility in Visibility.values else "",
        language=language if language in Language.values else "",
    )


def _manage_page(request: HttpRequest, *, settings_form=None, status=200) -> HttpResponse:
    filters = _filters(request)
    page = selectors.article_page_for_writer(
        user=request.user, filters=filters, page=_page_number(request)
    )
    may_open = can(request.user, Perm.MANAGE_HELP_CENTER)
    if may_open and settings_form is None:
        settings_form = HelpCenterForm(
            initial={"public_help_center": selectors.kb_settings().public_help_center}
        )
    context = {
        "page": page,
        "filters": filters,
        "sections": list(KbSection.objects.only("id", "name")),
        "visibilities": Visibility.choices,
        "languages": Language.choices,
        "settings_form": settings_form if may_open else None,
    }
    return render(request, "tickets/kb/manage.html", context, status=status)


@require_GET
@login_required
def kb_manage(request: HttpRequest) -> HttpResponse:
    _writer(request)
    return _manage_page(request)


@require_POST
@login_required
def kb_settings(request: HttpRequest) -> HttpResponse:
    _writer(request)
    require(request.user, Perm.MANAGE_HELP_CENTER)
    form = HelpCenterForm(request.POST)
    if form.is_valid():
        public = form.cleaned_data["public_help_center"]
        services.help_center_set(actor=request.user, public=public, ip=client_ip(request))
        messages.success(
            request,
            _("The help center is open to everyone.")
            if public
            else _("The help center is now for signed-in people only."),
        )
        return redirect("kb_manage")
    return _manage_page(request, settings_form=form, status=400)


def _save(request: HttpRequest, form: ArticleForm, article: Article | None) -> Article | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    fields = {
        "section": data["section"],
        "title": data["title"],
        "body": data["body"],
        "visibility": data["visibility"],
        "language": data["language"],
        "translation": data["translation"],
        "position": data["position"],
    }
    try:
        if article is None:
            return services.article_create(actor=request.user, **fields)
        return services.article_update(actor=request.user, article=article, **fields)
    except ValidationError as error:
        add_errors(form, error)
        return None


@login_required
def kb_article_new(request: HttpRequest) -> HttpResponse:
    _writer(request)
    if not KbSection.objects.exists():
        messages.info(request, _("Add a section first: every article belongs to one."))
        return redirect("kb_sections")
    form = ArticleForm(request.POST or None)
    if request.method == "POST":
        saved = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "tickets/kb/article_form.html",
        {"form": form, "article": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def kb_article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_for_writer(user=request.user, article_id=article_id)
    initial = {
        "title": article.title,
        "section": article.section_id,
        "body": article.body,
        "visibility": article.visibility,
        "language": article.language,
        "translation": article.translation_id,
        "position": article.position,
    }
    form = ArticleForm(request.POST or None, initial=initial, article=article)
    if request.method == "POST":
        saved = _save(request, form, article)
        if saved is not None:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "tickets/kb/article_form.html",
        {"form": form, "article": article},
        status=400 if form.is_bound else 200,
    )


@require_GET
@login_required
def kb_article_history(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_for_writer(user=request.user, article_id=article_id)
    versions = selectors.article_versions(article=article)
    return render(request, "tickets/kb/history.html", {"article": article, "versions": versions})


@login_required
def kb_article_delete(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_for_writer(user=request.user, article_id=article_id)
    if request.method == "POST":
        services.article_delete(actor=request.user, article=article)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": article.title})
        return redirect("kb_manage")
    return render(request, "tickets/kb/article_delete.html", {"article": article})


@require_GET
@login_required
def kb_article_lookup(request: HttpRequest) -> JsonResponse:
    """Public articles matching ``q`` with their full address, for the reply box's picker
    (a member can follow only a link to a public article)."""
    _writer(request)
    articles = selectors.article_suggestions(q=request.GET.get("q", "").strip()[:200])
    system = request.system  # type: ignore[attr-defined]
    return JsonResponse(
        {
            "articles": [
                {"title": a.title, "url": system_url(system=system, path=a.get_absolute_url())}
                for a in articles
            ]
        }
    )
