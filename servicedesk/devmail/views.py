"""/dev/mail/: the development outbox, on the public host while DEBUG is on (404 otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import nh3
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from servicedesk.devmail.outbox import mail_get, mail_names
from servicedesk.schema import in_public_schema

PER_PAGE = 25


def development_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The route exists only under DEBUG; this also holds if the URLconf says otherwise."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.DEBUG or not in_public_schema():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
@require_GET
@development_only
def mail_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(mail_names(), PER_PAGE).get_page(request.GET.get("page"))
    found = [mail_get(name=name) for name in page.object_list]
    mails = [mail for mail in found if mail is not None]
    return render(request, "devmail/list.html", {"page": page, "mails": mails})


@never_cache
@require_GET
@development_only
def mail_detail(request: HttpRequest, name: str) -> HttpResponse:
    mail = mail_get(name=name)
    if mail is None:
        raise Http404
    # Mail HTML is shown inside our page: nh3 keeps its structure and links and drops
    # scripts, styles and event handlers (which our CSP would refuse anyway).
    safe_html = nh3.clean(
        mail.html, link_rel="noopener noreferrer", url_schemes={"http", "https", "mailto"}
    )
    return render(
        request,
        "devmail/detail.html",
        {"mail": mail, "html": mark_safe(safe_html)},  # noqa: S308 - sanitised by nh3
    )
