"""Unsubscribing by the link in ticket mail: anyone holding the link, no sign-in.

A GET only shows what the link turns off, with a button (mail scanners open links). A
POST turns it off: the button, or a mail client's one-click request (RFC 8058), which
comes without cookies or CSRF token; the signed token is the authority.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tickets.mail.services.unsubscribe import unsubscribe_apply, unsubscribe_read, unsubscribed


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def mail_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    wanted = unsubscribe_read(system=request.system, token=token)  # type: ignore[attr-defined]
    if wanted is None:
        raise Http404("This link is not valid here.")
    if request.method == "POST":
        unsubscribe_apply(wanted=wanted)
        done = True
    else:
        done = unsubscribed(wanted=wanted)
    return render(request, "tickets/mail/unsubscribe.html", {"wanted": wanted, "done": done})
