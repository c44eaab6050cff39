"""The ticket page's share of working together, drawn with the page: who else is there,
the previous and next ticket of the list the person came from, "Take it", and what the
reply form carries for the collision check (tickets.views.detail merges it in)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from django.http import HttpRequest, QueryDict

from accounts.models import Role, User
from tickets.collab import presence
from tickets.collab.mentions import handle_map, handle_of_each
from tickets.collab.neighbours import ticket_neighbours
from tickets.collab.selectors import SHOWN_MAX, Arrived, newest_shown
from tickets.models import Ticket
from tickets.selectors import TicketFilters, TimelineEntry

# The ticket page's parameter naming the list it was opened from: the list's own query
# string (filters, sort, page), so "Back to the list" returns to the very page.
LIST_PARAM = "list"


@dataclass(frozen=True)
class Collab:
    number: int
    seen: int  # the newest message the page shows (the reply form's "seen")
    staff: bool = False
    others: list[presence.Present] = field(default_factory=list)
    may_take: bool = False
    assignee_id: int | None = None
    # Opened from a list: its address, and the tickets around this one in it.
    list_url: str = ""
    previous_url: str = ""
    next_url: str = ""
    # A reply not sent because these arrived meanwhile (and whether files were chosen).
    arrived: list[Arrived] = field(default_factory=list)
    files_dropped: bool = False
    # Whom an internal note may mention, for the reply box's autocomplete (staff only).
    mention_people: list[dict[str, str]] = field(default_factory=list)

    @property
    def presence_text(self) -> str:
        return presence.presence_text(self.others)

    @property
    def poll_seconds(self) -> int:
        return presence.POLL

    @property
    def shown_arrived(self) -> list[Arrived]:
        return self.arrived[:SHOWN_MAX]

    @property
    def more_arrived(self) -> bool:
        return len(self.arrived) > SHOWN_MAX

    def crossed(self, arrived: list[Arrived], *, files_dropped: bool) -> Collab:
        return replace(self, arrived=arrived, files_dropped=files_dropped)


def keep_list(request: HttpRequest, path: str) -> str:
    """``path`` carrying the list the page was opened from, if it was: after a reply, the
    previous and next links (and j / k) are still there."""
    listed = request.GET.get(LIST_PARAM)
    return path if listed is None else f"{path}?{LIST_PARAM}={quote(listed[:2000], safe='')}"


def _staff(people: Iterable[User]) -> list[User]:
    return [p for p in people if p.is_active and p.role != Role.MEMBER]


def mention_handles(people: Iterable[User]) -> frozenset[str]:
    """The handles that mention someone among ``people`` (active staff only)."""
    return frozenset(handle_map(_staff(people)))


def collab_context(
    request: HttpRequest,
    *,
    ticket: Ticket,
    timeline: list[TimelineEntry],
    staff: bool,
    filters_from: Callable[[QueryDict], TicketFilters],
    people: Iterable[User] = (),
) -> dict[str, Collab]:
    """``people``: the staff the page already has (its assignee choices), whom a note may
    mention, so that the autocomplete costs no query."""
    user = request.user
    listed = request.GET.get(LIST_PARAM)
    links: dict[str, str] = {}
    if listed is not None:
        listed = listed[:2000]
        around = ticket_neighbours(
            user=user, ticket=ticket, filters=filters_from(QueryDict(listed))
        )
        carry = f"?{LIST_PARAM}={quote(listed, safe='')}"
        links["list_url"] = f"/tickets/?{listed}" if listed else "/tickets/"
        if around.previous is not None:
            links["previous_url"] = f"/tickets/{around.previous}/{carry}"
        if around.next is not None:
            links["next_url"] = f"/tickets/{around.next}/{carry}"
    return {
        "collab": Collab(
            number=ticket.number,
            seen=newest_shown(timeline),
            staff=staff,
            others=presence.presence_touch(user=user, ticket=ticket) if staff else [],
            may_take=staff and ticket.assignee_id != user.pk and not ticket.merged_into_id,
            assignee_id=ticket.assignee_id,
            mention_people=[
                {"handle": handle, "name": person.get_full_name()}
                for handle, person in handle_of_each(_staff(people))
                if person.pk != user.pk
            ],
            **links,
        )
    }
