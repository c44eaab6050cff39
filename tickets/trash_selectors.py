"""Reads for the Trash page: what is in the trash, and one trashed ticket or file.

Only those who may use the trash (tickets.services.trash.trash_allowed) get here; the
views check that first. Everywhere else trashed rows are invisible (tickets.selectors).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.http import Http404

from tickets.models import Attachment, Ticket
from tickets.services.trash import purge_due_at

PER_PAGE = 25


@dataclass
class TrashRow:
    item: Ticket | Attachment
    purge_at: datetime


def _page(queryset, number: int) -> tuple[Page, list[TrashRow]]:
    page = Paginator(queryset, PER_PAGE).get_page(number)
    rows = [TrashRow(item, purge_due_at(item.deleted_at)) for item in page.object_list]
    return page, rows


def trashed_tickets(*, page: int = 1) -> tuple[Page, list[TrashRow]]:
    """Tickets in the trash, most recently trashed first (two queries: count, rows)."""
    tickets = (
        Ticket.objects.trashed()
        .select_related("requester", "contact", "deleted_by")
        .only(
            "number",
            "subject",
            "removed_reason",
            "status",
            "deleted_at",
            "requester__full_name",
            "requester__email",
            "contact__name",
            "contact__email",
            "deleted_by__full_name",
            "deleted_by__email",
        )
        .order_by("-deleted_at", "-id")
    )
    return _page(tickets, page)


def trashed_files(*, page: int = 1) -> tuple[Page, list[TrashRow]]:
    """Files in the trash whose ticket is not (those go with their ticket)."""
    files = (
        Attachment.objects.trashed()
        .of_live_tickets()
        .select_related("ticket", "deleted_by")
        .only(
            "original_name",
            "size",
            "deleted_at",
            "ticket__number",
            "ticket__subject",
            "ticket__removed_reason",
            "deleted_by__full_name",
            "deleted_by__email",
        )
        .order_by("-deleted_at", "-id")
    )
    return _page(files, page)


def trashed_ticket_get(*, number: int) -> Ticket:
    ticket = Ticket.objects.trashed().filter(number=number).first()
    if ticket is None:
        raise Http404("No such ticket in the trash.")
    return ticket


def trashed_file_get(*, attachment_id: int) -> Attachment:
    attachment = (
        Attachment.objects.trashed().filter(pk=attachment_id).select_related("ticket").first()
    )
    if attachment is None:
        raise Http404("No such file in the trash.")
    return attachment
