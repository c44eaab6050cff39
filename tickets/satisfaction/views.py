"""Rating a solve: on the ticket's page (its requester, signed in), or by a link of the
mail that asked (anyone holding it, no sign-in).

A link's GET only shows the question with the link's answer chosen and a button: mail
scanners open links, so nothing is recorded until the person presses it (a POST). The
signed token is the authority for that POST; CSRF protection stays on (the page sets the
cookie), as no mail client posts to it by itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from servicedesk.forms import add_errors
from tickets import selectors as ticket_selectors
from tickets.satisfaction import selectors, services
from tickets.satisfaction.forms import RatingForm
from tickets.satisfaction.models import SatisfactionRating
from tickets.satisfaction.tokens import LinkExpired, rating_token_read

THANKS = gettext_lazy("Thank you: your answer is recorded.")


def _page(request: HttpRequest, rating: SatisfactionRating, form: RatingForm, **extra) -> dict:
    return {
        "rating": rating,
        "ticket": rating.ticket,
        "form": form,
        "until": selectors.rating_deadline(rating),
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def satisfaction_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = rating_token_read(system=request.system, token=token)  # type: ignore[attr-defined]
    except LinkExpired:
        return render(request, "tickets/satisfaction/expired.html", status=410)
    rating = selectors.rating_for_link(link=link) if link is not None else None
    if link is None or rating is None:
        raise Http404("This link is not valid here.")
    refusal = selectors.rating_refusal(
        rating=rating, latest=selectors.rating_is_latest(rating), now=timezone.now()
    )
    done = False
    if request.method == "POST" and refusal is None:
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                rating = services.satisfaction_answer(
                    actor=None,
                    rating=rating,
                    answer=form.cleaned_data["answer"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                done = True
    else:
        # The link's answer chosen; a comment given before is kept.
        form = RatingForm(initial={"answer": link.answer, "comment": rating.comment})
    context = _page(request, rating, form, refusal=refusal, done=done, action=request.path)
    status = 400 if request.method == "POST" and not done and refusal is None else 200
    return render(request, "tickets/satisfaction/rate.html", context, status=status)


@login_required
@require_POST
def satisfaction_rate(request: HttpRequest, number: int) -> HttpResponse:
    """The "How did we do?" box of the ticket's page."""
    ticket = ticket_selectors.ticket_get_for_user(user=request.user, number=number)
    box = selectors.ticket_satisfaction(user=request.user, ticket=ticket)
    if box is None or not box.mine:
        raise Http404("Nothing to rate here.")
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.satisfaction_answer(
                actor=request.user,  # type: ignore[arg-type]
                rating=box.rating,
                answer=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, THANKS)
            return redirect("ticket_detail", number=ticket.number)
    context = _page(request, box.rating, form, refusal=None, done=False, action=request.path)
    return render(request, "tickets/satisfaction/rate.html", context, status=400)
