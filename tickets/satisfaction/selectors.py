"""Reads: whether a rating may still be answered, the ticket page's box, the link's
rating, and the counts reports show (``satisfaction_summary``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Perm, can
from tickets.models import Status, Ticket
from tickets.satisfaction.models import Answer, SatisfactionRating
from tickets.satisfaction.tokens import ASK_DAYS, CHANGE_DAYS, LinkAnswer

ANSWERED_STATUSES = (Status.SOLVED, Status.CLOSED)


def rating_deadline(rating: SatisfactionRating) -> datetime:
    """Until when the rating takes an answer (the first) or a change (after it)."""
    if rating.answered_at is None:
        return rating.solved_at + timedelta(days=ASK_DAYS)
    return rating.answered_at + timedelta(days=CHANGE_DAYS)


def rating_refusal(*, rating: SatisfactionRating, latest: bool, now: datetime) -> str | None:
    """Why ``rating`` takes no answer now (None: it does). ``latest``: it is the ticket's
    last solve; ``rating.ticket`` is loaded."""
    ticket = rating.ticket
    if not latest or ticket.status not in ANSWERED_STATUSES or ticket.deleted_at is not None:
        return _("This ticket was reopened since; you will be asked again once it is solved.")
    if now > rating_deadline(rating):
        if rating.answered_at is None:
            return _("Ratings are taken for %(days)d days after a ticket is solved.") % {
                "days": ASK_DAYS
            }
        return _("An answer can be changed for %(days)d days after it was given.") % {
            "days": CHANGE_DAYS
        }
    return None


def rating_is_latest(rating: SatisfactionRating) -> bool:
    last = (
        SatisfactionRating.objects.filter(ticket_id=rating.ticket_id)
        .order_by("-solved_at")
        .values_list("pk", flat=True)
        .first()
    )
    return last == rating.pk


def rating_for_link(*, link: LinkAnswer) -> SatisfactionRating | None:
    """The rating a signed link names, with its ticket (live), or None."""
    return (
        SatisfactionRating.objects.select_related("ticket")
        .filter(pk=link.rating_id, ticket_id=link.ticket_id, ticket__deleted_at__isnull=True)
        .first()
    )


@dataclass(frozen=True)
class RatingBox:
    """What the ticket page shows of its last solve's rating."""

    rating: SatisfactionRating
    mine: bool  # the requester's own (he may answer); else staff reading it
    refusal: str | None  # why it takes no answer now (None: he may answer or change it)
    until: datetime


def ticket_satisfaction(*, user: User, ticket: Ticket) -> RatingBox | None:
    """The rating of the ticket's last solve: for staff, and for its requester (his own
    answer, or the question while it may be answered). One query; none for others."""
    staff = can(user, Perm.TICKET_WORK)
    mine = ticket.requester_id == user.pk
    if not (staff or mine):
        return None
    rating = ticket.satisfaction_ratings.order_by("-solved_at").first()
    if rating is None:
        return None
    rating.ticket = ticket
    refusal = rating_refusal(rating=rating, latest=True, now=timezone.now())
    if not staff and refusal is not None and not rating.answer:
        return None  # nothing of his to show, nothing to ask
    return RatingBox(rating=rating, mine=mine, refusal=refusal, until=rating_deadline(rating))


@dataclass(frozen=True)
class SatisfactionSummary:
    """Solves in a range: how many were asked about, and the answers."""

    asked: int
    good: int
    bad: int

    @property
    def answered(self) -> int:
        return self.good + self.bad

    @property
    def rate(self) -> float | None:
        """Good answers among the answers (0-1), None without answers."""
        return self.good / self.answered if self.answered else None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None


_COUNTS = {
    "asked": Count("id"),
    "good": Count("id", filter=Q(answer=Answer.GOOD)),
    "bad": Count("id", filter=Q(answer=Answer.BAD)),
}
GROUPS = {"assignee": "ticket__assignee_id", "category": "ticket__category_id"}


def _solves(
    *, start: datetime, end: datetime, assignee_id: int | None, category_id: int | None
) -> QuerySet[SatisfactionRating]:
    solves = SatisfactionRating.objects.filter(
        solved_at__gte=start, solved_at__lt=end, ticket__deleted_at__isnull=True
    )
    if assignee_id is not None:
        solves = solves.filter(ticket__assignee_id=assignee_id)
    if category_id is not None:
        solves = solves.filter(ticket__category_id=category_id)
    return solves


def satisfaction_summary(
    *,
    start: datetime,
    end: datetime,
    assignee_id: int | None = None,
    category_id: int | None = None,
) -> SatisfactionSummary:
    """Ratings of the solves in [start, end) of live tickets (optionally of one assignee's
    or one category's tickets, as they are now): one query."""
    counts = _solves(
        start=start, end=end, assignee_id=assignee_id, category_id=category_id
    ).aggregate(**_COUNTS)
    return SatisfactionSummary(**counts)


def satisfaction_by(
    *, start: datetime, end: datetime, group: str
) -> dict[int | None, SatisfactionSummary]:
    """``satisfaction_summary`` per assignee or per category ("assignee", "category"), by
    id (None: unassigned, no category): one query."""
    key = GROUPS[group]
    rows = (
        _solves(start=start, end=end, assignee_id=None, category_id=None)
        .values(key)
        .order_by()
        .annotate(**_COUNTS)
    )
    return {
        row[key]: SatisfactionSummary(asked=row["asked"], good=row["good"], bad=row["bad"])
        for row in rows
    }


def satisfaction_answers(
    *, start: datetime, end: datetime, limit: int = 20
) -> list[SatisfactionRating]:
    """The latest answers to the solves in [start, end), with their tickets: one query."""
    return list(
        _solves(start=start, end=end, assignee_id=None, category_id=None)
        .exclude(answer="")
        .select_related("ticket")
        .order_by("-answered_at", "-pk")[:limit]
    )
