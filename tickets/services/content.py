"""Tickets, replies and files as content the operator may take down (servicedesk.content).

A removed object keeps its row; its ``removed_reason`` replaces it on every page, files
stop downloading, and it leaves the search index. An empty reason shows it again.
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from accounts.permissions import Perm, can
from tickets import search
from tickets.models import Attachment, Reply, Ticket
from tickets.selectors import attachment_get_for_user, ticket_get_for_user


class _Content:
    model: type[Ticket] | type[Reply] | type[Attachment]

    def number_of(self, obj) -> int:
        return obj.number if isinstance(obj, Ticket) else obj.ticket.number

    def set_removed(self, *, object_id: int, reason: str) -> int:
        obj = self.model._default_manager.select_for_update().get(pk=object_id)
        obj.removed_reason = reason
        obj.save(update_fields=["removed_reason"])
        ticket = obj if isinstance(obj, Ticket) else obj.ticket  # type: ignore[union-attr]
        search.refresh([ticket.pk])
        return ticket.number

    def exists(self, *, object_id: int) -> bool:
        return self.model._default_manager.filter(pk=object_id).exists()

    def locate(self, *, number: int, object_id: int | None) -> int | None:
        if object_id is None:
            return None
        return (
            self.model._default_manager.filter(pk=object_id, ticket__number=number)
            .values_list("pk", flat=True)
            .first()
        )


class TicketContent(_Content):
    model = Ticket

    def for_user(self, *, user: User, number: int, object_id: int) -> Ticket:
        return ticket_get_for_user(user=user, number=number)

    def locate(self, *, number: int, object_id: int | None) -> int | None:
        return Ticket._default_manager.filter(number=number).values_list("pk", flat=True).first()


class ReplyContent(_Content):
    model = Reply

    def for_user(self, *, user: User, number: int, object_id: int) -> Reply:
        ticket = ticket_get_for_user(user=user, number=number)
        # A deleted reply holds nothing left to report.
        reply = ticket.replies.filter(pk=object_id, erased_at__isnull=True).first()
        if reply is None or (reply.is_internal and not can(user, Perm.TICKET_VIEW_ALL)):
            raise Http404("No such reply.")
        return reply


class AttachmentContent(_Content):
    model = Attachment

    def for_user(self, *, user: User, number: int, object_id: int) -> Attachment:
        return attachment_get_for_user(user=user, number=number, attachment_id=object_id)
