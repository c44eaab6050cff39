"""Who gets which ticket email. Sent by a worker after the transaction commits.

New ticket → its assignee, or every staff member; and, when it was opened by mail, an
acknowledgement with its number to whoever wrote (once per ticket). Public reply →
requester and followers, and the contact the ticket is with. Assignment → the new
assignee. Solved → the requester (or the contact), asked to rate it (tickets.satisfaction).
Never whoever acted, never an internal note, never an address mail stopped to; each
person can turn each kind off (a contact, all of it). How each mail is made:
tickets.mail.outgoing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q

from accounts.models import Role, User
from tickets.models import Contact, NotificationPreference, Reply, Ticket

STAFF_ROLES = (Role.OWNER, Role.ADMIN, Role.AGENT)
# Auto-Submitted (RFC 3834): mail a person wrote and we relay is still mail no
# auto-responder should answer; the acknowledgement answers a mail automatically.
AUTO_GENERATED = "auto-generated"
AUTO_REPLIED = "auto-replied"
# The unsubscribe kind of a contact: he has no preferences, so it stops all mail to him.
CONTACT = "contact"


@dataclass(frozen=True)
class Recipient:
    address: str
    template: str
    kind: str  # what his unsubscribe link turns off: a NotificationPreference field, or CONTACT
    user_id: int | None = None
    name: str = ""


# The mail channel (tickets.mail.outgoing, registered in tickets.apps) makes and sends each
# message; it imports the services that import this module, so it is reached by registry.
_SENDERS: list[Callable[..., None]] = []


def ticket_mail_sender(send: Callable[..., None]) -> Callable[..., None]:
    _SENDERS[:] = [send]
    return send


def ticket_mail_send(**kwargs) -> None:
    for send in _SENDERS:
        send(**kwargs)


def _wanting(users: Iterable[User | None], kind: str, *, except_user: User | None) -> list[User]:
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
    return [user for pk, user in people.items() if pk not in refused]


def _people(users: Iterable[User], *, template: str, kind: str) -> list[Recipient]:
    return [
        Recipient(
            address=user.email,
            template=template,
            kind=kind,
            user_id=user.pk,
            name=user.get_full_name(),
        )
        for user in users
    ]


def ticket_created(*, ticket: Ticket, actor: User | None, via_mail: bool = False) -> None:
    if ticket.assignee:
        staff = [ticket.assignee]
    else:
        staff = list(User.objects.filter(role__in=STAFF_ROLES, is_active=True))
    people = _wanting(staff, "new_tickets", except_user=actor)
    ticket_mail_send(
        ticket=ticket,
        recipients=_people(people, template="ticket_created", kind="new_tickets"),
        actor=actor,
    )
    if via_mail:
        # Processing never gets here for automatic mail, so this answers a person.
        if ticket.contact is not None:
            writer = [
                Recipient(
                    address=ticket.contact.email,
                    template="ticket_received",
                    kind=CONTACT,
                    name=ticket.contact.name,
                )
            ]
        else:
            writer = _people(
                _wanting([actor], "replies", except_user=None),
                template="ticket_received",
                kind="replies",
            )
        ticket_mail_send(ticket=ticket, recipients=writer, auto_submitted=AUTO_REPLIED, once=True)


def ticket_assigned(*, ticket: Ticket, actor: User) -> None:
    people = _wanting([ticket.assignee], "assignments", except_user=actor)
    ticket_mail_send(
        ticket=ticket,
        recipients=_people(people, template="ticket_assigned", kind="assignments"),
        actor=actor,
        except_addresses=[actor.email],
    )


def _contacts_on(ticket: Ticket) -> list[Contact]:
    writers = Reply.objects.filter(
        ticket=ticket, author_contact__isnull=False, erased_at__isnull=True
    ).values("author_contact")
    return list(Contact.objects.filter(Q(pk=ticket.contact_id) | Q(pk__in=writers)))


def reply_added(*, ticket: Ticket, reply: Reply) -> None:
    if reply.is_internal:  # never, whoever calls
        return
    people: list[User | None] = [ticket.requester, *ticket.followers.all()]
    recipients = _people(
        _wanting(people, "replies", except_user=reply.author),
        template="ticket_reply",
        kind="replies",
    )
    # The contact who opened the ticket, and any other who has written on it by mail (a
    # colleague of his in copy, say): each follows the conversation by mail.
    contacts = [c for c in _contacts_on(ticket) if c.pk != reply.author_contact_id]
    recipients += [
        Recipient(
            address=contact.email, template="ticket_reply_contact", kind=CONTACT, name=contact.name
        )
        for contact in contacts
    ]
    author = reply.author or reply.author_contact
    ticket_mail_send(
        ticket=ticket,
        recipients=recipients,
        actor=reply.author,
        reply=reply,
        except_addresses=[author.email] if author is not None else [],
    )


def ticket_solved(
    *, ticket: Ticket, actor: User | None, links: Callable[..., Mapping[str, object]]
) -> None:
    """Ask the requester how it went: a person who takes these questions (a kind of his
    own, which he can turn off without losing replies), or the contact the ticket is with.
    ``links(system)`` gives the mail's answer links, made as it leaves."""
    if ticket.requester_id is not None:
        recipients = _people(
            _wanting([ticket.requester], "satisfaction", except_user=actor),
            template="ticket_solved",
            kind="satisfaction",
        )
    elif ticket.contact is not None:
        contact = ticket.contact
        recipients = [
            Recipient(
                address=contact.email, template="ticket_solved", kind=CONTACT, name=contact.name
            )
        ]
    else:
        return
    ticket_mail_send(ticket=ticket, recipients=recipients, actor=actor, links=links)
