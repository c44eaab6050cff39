"""Writes the API adds around the tickets' services: an update that applies only to the
version its client read (``If-Match``), checked under the row's lock."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from accounts.api.etags import if_match_check
from accounts.models import User
from accounts.permissions import Perm, require
from tickets.api.selectors import ticket_etag
from tickets.models import Ticket
from tickets.selectors import ticket_get_for_user
from tickets.services.tickets import TicketUpdate, ticket_update


@transaction.atomic
def ticket_update_if_match(
    *,
    actor: User,
    number: int,
    if_match: str,
    changes: dict[str, object],
    tags: Iterable[str] | None = None,
) -> TicketUpdate:
    """``ticket_update`` on the ticket as its client read it: the ETag is compared with the
    locked row's, so of two clients that read one version only the first writes; the other
    gets the 412 problem and nothing changes."""
    ticket = ticket_get_for_user(user=actor, number=number)  # 404 for what he can't see
    require(actor, Perm.TICKET_WORK)
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if_match_check(if_match, ticket_etag(user=actor, ticket=locked))
    return ticket_update(actor=actor, ticket=locked, changes=changes, tags=tags)
