"""Who gets which ticket email. Sent by a worker after the transaction commits.

New ticket → its assignee, or every staff member; public reply → requester and followers;
assignment → the new assignee. Never the person who acted, never an internal note, and
each person can turn each kind off.
"""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import Role, User
from servicedesk import mail
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import System
from tickets.models import NotificationPreference, Reply, Ticket

STAFF_ROLES = (Role.OWNER, Role.ADMIN, Role.AGENT)


def _wanting(users: Iterable[User | None], kind: str, *, except_user: User | None) -> list[str]:
    people = {
        user.pk: user
        for user in users
        if user is not None and user.is_active and not user.is_suspended and user != except_user
    }
    if not people:
        return []
    refused = set(
        NotificationPreference.objects.filter(user_id__in=people, **{kind: False}).values_list(
            "user_id", flat=True
        )
    )
    return [user.email for pk, user in people.items() if pk not in refused]


def _context(ticket: Ticket) -> dict:
    system = System.objects.get(schema_name=current_schema())
    return {
        "system": system,
        "ticket": ticket,
        "ticket_url": tenant_selectors.system_url(system=system, path=f"/tickets/{ticket.number}/"),
    }


def ticket_created(*, ticket: Ticket, actor: User | None) -> None:
    if ticket.assignee:
        recipients = [ticket.assignee]
    else:
        recipients = list(User.objects.filter(role__in=STAFF_ROLES, is_active=True))
    to = _wanting(recipients, "new_tickets", except_user=actor)
    mail.send_templated(to=to, template="ticket_created", context=_context(ticket))


def ticket_assigned(*, ticket: Ticket, actor: User) -> None:
    to = _wanting([ticket.assignee], "assignments", except_user=actor)
    mail.send_templated(to=to, template="ticket_assigned", context=_context(ticket))


def reply_added(*, ticket: Ticket, reply: Reply) -> None:
    if reply.is_internal:  # never, whoever calls
        return
    people: list[User | None] = [ticket.requester, *ticket.followers.all()]
    to = _wanting(people, "replies", except_user=reply.author)
    mail.send_templated(
        to=to, template="ticket_reply", context={**_context(ticket), "reply": reply}
    )
