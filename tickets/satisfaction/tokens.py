"""The signed links of the mail that asks: one per answer, bound to the System (the salt
holds its id, so a token is worthless at any other System), the ticket, the solve (its
rating row) and the answer; they expire once no answer or change could be taken anyway."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

from servicedesk.tokens import system_sign, system_unsign
from tenants.models import System
from tickets.satisfaction.models import Answer

# A first answer is taken for ASK_DAYS after the solve, a change for CHANGE_DAYS after
# the first answer: a link can matter for both together.
ASK_DAYS = 14
CHANGE_DAYS = 7
MAX_AGE = timedelta(days=ASK_DAYS + CHANGE_DAYS)


@dataclass(frozen=True)
class LinkAnswer:
    rating_id: int
    ticket_id: int
    answer: str


class LinkExpired(Exception):
    """A genuine link of this System, too old to be used."""


PURPOSE = "tickets.satisfaction"


def rating_token(*, system: System, rating_id: int, ticket_id: int, answer: str) -> str:
    if answer not in Answer.values:
        raise ValueError(f"No such answer: {answer}")
    payload = {"r": rating_id, "t": ticket_id, "a": answer}
    return system_sign(payload, purpose=PURPOSE, system_id=system.pk)


def rating_token_read(*, system: System, token: str) -> LinkAnswer | None:
    """What ``token`` answers at ``system``; None if it is not one of its own.
    Raises LinkExpired for one of its own that is too old."""
    try:
        payload = system_unsign(token, purpose=PURPOSE, system_id=system.pk, max_age=MAX_AGE)
    except signing.SignatureExpired as expired:
        raise LinkExpired from expired
    if payload is None:
        return None
    rating_id, ticket_id, answer = payload.get("r"), payload.get("t"), payload.get("a")
    if not isinstance(rating_id, int) or not isinstance(ticket_id, int):
        return None
    if answer not in Answer.values:
        return None
    return LinkAnswer(rating_id=rating_id, ticket_id=ticket_id, answer=answer)
