"""The help center on each System's host: sections, articles, search, "did this help?".

Members read it signed in; anyone may read its public articles while the System allows it
(tickets.kb.selectors says who reads what). Closed to visitors, it sends them to sign in.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from servicedesk import ratelimit
from servicedesk.http import client_ip
from tickets.kb import selectors, services

# A visitor's votes from one address, per hour (a new browser session is one click away).
VISITOR_VOTES_PER_HOUR = 30
_SESSION_VOTER = "kb_voter"


def _reader(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let the request in when the help center is open to this reader."""

    @wraps(view)
    def gate(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.help_center_open(user=request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return gate


def _voter(request: HttpRequest, *, create: bool) -> str | None:
    """Who answers "did this help?": the person, or this browser's session."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    token = request.session.get(_SESSION_VOTER)
    if token is None and create:
        token = request.session[_SESSION_VOTER] = secrets.token_hex(16)
    return f"session:{token}" if token else None


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_GET
@_reader
def kb_home(request: HttpRequest) -> HttpResponse:
    rows = selectors.help_home(user=request.user)
    return render(
        request,
        "tickets/kb/home.html",
        {"rows": rows, "writer": selectors.is_writer(request.user)},
    )


@require_GET
@_reader
def kb_section(request: HttpRequest, section_id: int) -> HttpResponse:
    row = selectors.section_for_reader(user=request.user, section_id=section_id)
    return render(
        request,
        "tickets/kb/section.html",
        {"row": row, "writer": selectors.is_writer(request.user)},
    )


@require_GET
@_reader
def kb_article(request: HttpRequest, article_id: int, article_slug: str) -> HttpResponse:
    article = selectors.article_for_reader(user=request.user, article_id=article_id)
    if article_slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=True)
    votes = selectors.article_votes(article=article, voter=_voter(request, create=False))
    return render(
        request,
        "tickets/kb/article.html",
        {"article": article, "votes": votes, "writer": selectors.is_writer(request.user)},
    )


@require_POST
@_reader
def kb_vote(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_for_reader(user=request.user, article_id=article_id)
    answer = request.POST.get("helpful")
    if answer not in {"yes", "no"}:
        messages.error(request, _("Choose Yes or No."))
    elif not request.user.is_authenticated and not ratelimit.hit(
        "kb_vote", client_ip(request) or "unknown", limit=VISITOR_VOTES_PER_HOUR, window=3600
    ):
        messages.error(request, _("Too many answers from your address: try again in an hour."))
    else:
        voter = _voter(request, create=True)
        assert voter is not None
        services.article_vote(article=article, voter=voter, helpful=answer == "yes")
        messages.success(request, _("Thank you for your answer."))
    return redirect(article.get_absolute_url())


@require_GET
@_reader
def kb_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    found = selectors.article_search(user=request.user, q=q, page=_page_number(request))
    return render(
        request,
        "tickets/kb/search.html",
        {"q": q, "found": found, "writer": selectors.is_writer(request.user)},
    )


@require_GET
@login_required
def kb_suggest(request: HttpRequest) -> JsonResponse:
    """Public articles matching a new ticket's subject, for the page's script."""
    q = request.GET.get("q", "").strip()[:200]
    articles = selectors.article_suggestions(q=q)
    return JsonResponse(
        {"articles": [{"title": a.title, "url": a.get_absolute_url()} for a in articles]}
    )
