"""Writes: ask the requester when a ticket is solved (hook of tickets.services.tickets'
fields_apply), and take his answer (on the ticket's page, or by the mail's signed link)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tenants import selectors as tenant_selectors
from tenants.models import System
from tickets import notifications
from tickets.models import Status, Ticket
from tickets.satisfaction.models import Answer, SatisfactionRating
from tickets.satisfaction.selectors import rating_is_latest, rating_refusal
from tickets.satisfaction.tokens import rating_token

MAX_COMMENT_CHARS = 2000


def satisfaction_ask(*, ticket: Ticket, actor: User | None, old: object) -> None:
    """On a status change of ``ticket`` (locked, its new status and solved_at set): a new
    solve (solved from anything but solved or closed) asks its requester, a person or the
    contact it is with, unless he solved it himself. Mail leaves after commit."""
    solved_at = ticket.solved_at
    if ticket.status != Status.SOLVED or old in (Status.SOLVED, Status.CLOSED) or not solved_at:
        return
    requester = ticket.requester
    if requester is not None:
        if requester == actor or not requester.is_active:
            return
    elif ticket.contact_id is None:
        return
    rating = SatisfactionRating.objects.create(ticket=ticket, solved_at=solved_at)
    notifications.ticket_solved(ticket=ticket, actor=actor, links=partial(_links, rating))


def _links(rating: SatisfactionRating, system: System) -> dict[str, object]:
    """The mail's two links, made when it leaves (the System is known then)."""
    links: dict[str, object] = {}
    for answer in Answer.values:
        token = rating_token(
            system=system, rating_id=rating.pk, ticket_id=rating.ticket_id, answer=answer
        )
        path = reverse("satisfaction_link", kwargs={"token": token})
        links[f"{answer}_url"] = tenant_selectors.system_url(system=system, path=path)
    return links


@transaction.atomic
def satisfaction_answer(
    *, actor: User | None, rating: SatisfactionRating, answer: str, comment: str = ""
) -> SatisfactionRating:
    """Record (or change) the answer to one solve. ``actor``: the requester on the ticket's
    page; None by the mail's link, whose signature is the authority. One answer per solve,
    taken while it is the ticket's last solve, for ASK_DAYS after it; changed for
    CHANGE_DAYS after it was first given; then refused."""
    rating = (
        SatisfactionRating.objects.select_for_update(of=("self",))
        .select_related("ticket")
        .get(pk=rating.pk)
    )
    if actor is not None and rating.ticket.requester_id != actor.pk:
        raise PermissionDenied("Only the requester rates a ticket.")
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Choose good or bad.")})
    comment = comment.replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError(
            {
                "comment": _("A comment has at most %(limit)d characters; this has %(count)d.")
                % {"limit": MAX_COMMENT_CHARS, "count": len(comment)}
            }
        )
    now = timezone.now()
    refusal = rating_refusal(rating=rating, latest=rating_is_latest(rating), now=now)
    if refusal is not None:
        raise ValidationError(refusal)
    if rating.answered_at is None:
        rating.answered_at = now
    else:
        rating.changed_at = now
    rating.answer, rating.comment, rating.answered_by = answer, comment, actor
    rating.save(update_fields=["answer", "comment", "answered_at", "changed_at", "answered_by"])
    return rating
