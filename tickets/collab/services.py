"""Writes for working together: a reply that checks nobody answered meanwhile (and
notifies the people an internal note mentions), and "Take it"."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from accounts.permissions import Perm, require
from servicedesk import mail
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import System
from tickets.collab.mentions import mentioned
from tickets.collab.selectors import Arrived, replies_since
from tickets.mail.services.unsubscribe import unsubscribe_token
from tickets.models import NotificationPreference, Reply, Ticket
from tickets.selectors import staff_people
from tickets.services.tickets import TicketUpdate, ticket_reply, ticket_update


class ReplyCrossed(Exception):
    """Someone else's message arrived on the ticket after the sender's page was drawn."""

    def __init__(self, arrived: list[Arrived]) -> None:
        super().__init__(f"{len(arrived)} message(s) arrived meanwhile")
        self.arrived = arrived


@transaction.atomic
def reply_post(
    *,
    actor: User,
    ticket: Ticket,
    body: str,
    internal: bool = False,
    status: str | None = None,
    files: Sequence[UploadedFile] = (),
    seen: int | None = None,
    confirmed: bool = False,
) -> Reply:
    """``ticket_reply``, unless messages arrived after message ``seen`` (the newest the
    sender's page showed) and he did not confirm: then ``ReplyCrossed``, and nothing is
    written. The ticket's row is locked first, so two replies sent at once cross visibly.
    An internal note then mails the staff it mentions."""
    if seen is not None and not confirmed:
        list(Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk"))
        arrived = replies_since(user=actor, ticket=ticket, seen=seen)
        if arrived:
            raise ReplyCrossed(arrived)
    reply = ticket_reply(
        actor=actor, ticket=ticket, body=body, internal=internal, status=status, files=files
    )
    if reply.is_internal:
        mentions_notify(actor=actor, ticket=ticket, reply=reply)
    return reply


def mentions_notify(*, actor: User, ticket: Ticket, reply: Reply) -> list[User]:
    """Mail, once the transaction commits, the active staff an internal note mentions (not
    its author, not who turned that mail off); return them. Called once per note: an edit
    notifies nobody again."""
    if not reply.is_internal:
        return []
    people = [
        person
        for person in mentioned(reply.body, staff_people())
        if person.pk != actor.pk and not person.is_suspended
    ]
    if not people:
        return []
    refused = set(
        NotificationPreference.objects.filter(
            user_id__in=[p.pk for p in people], mentions=False
        ).values_list("user_id", flat=True)
    )
    people = [person for person in people if person.pk not in refused]
    if not people:
        return []
    system = System.objects.get(schema_name=current_schema())
    context = {
        "system": system,
        "ticket": ticket,
        "author": actor.get_full_name(),
        "note": reply.body,
        "ticket_url": tenant_selectors.system_url(
            system=system, path=f"/tickets/{ticket.number}/#reply-{reply.pk}"
        ),
        "preferences_url": tenant_selectors.system_url(
            system=system, path=reverse("notification_settings")
        ),
    }
    for person in people:
        token = unsubscribe_token(
            system=system, address=person.email, kind="mentions", user_id=person.pk
        )
        unsubscribe_url = tenant_selectors.system_url(
            system=system, path=reverse("mail_unsubscribe", kwargs={"token": token})
        )
        mail.send_templated(
            to=[person.email],
            template="ticket_mention",
            context={
                **context,
                "recipient_name": person.get_full_name(),
                "unsubscribe_url": unsubscribe_url,
            },
        )
    return people


@transaction.atomic
def ticket_take(*, actor: User, ticket: Ticket, shown_assignee: int | None) -> TicketUpdate:
    """Assign ``ticket`` to ``actor`` ("Take it"), as the sidebar would, with history and
    mail as usual. ``shown_assignee`` is who held it on his page: if someone else took it
    since, it stays theirs and the result carries the conflict; if it was let go since,
    it is free to take."""
    require(actor, Perm.TICKET_WORK)
    held = Ticket.objects.select_for_update().values_list("assignee_id", flat=True)
    if held.get(pk=ticket.pk) is None:
        shown_assignee = None
    return ticket_update(
        actor=actor,
        ticket=ticket,
        changes={"assignee": actor},
        shown={"assignee": shown_assignee},
    )
