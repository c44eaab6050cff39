"""/api/v1/tickets: thin endpoints over the tickets' selectors and services (the same
permission rules as the pages, as the token's person). Mounted by TicketsConfig.ready()."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router

from accounts.api.etags import if_match_header, none_match, not_modified
from accounts.api.idempotency import idempotent
from accounts.api.pagination import list_body, page_size
from accounts.api.problems import validation_problem
from accounts.models import Role, User
from accounts.permissions import Perm, can, require
from tickets.api import schemas
from tickets.api.selectors import (
    custom_changes,
    filters_from_query,
    reply_shape,
    reply_values,
    row_summary,
    shaping_for,
    ticket_api_page,
    ticket_detail,
    ticket_etag,
)
from tickets.api.services import ticket_update_if_match
from tickets.models import Category
from tickets.selectors import ticket_get_for_user
from tickets.services import merge
from tickets.services.tickets import EDITABLE, ticket_create, ticket_reply

router = Router(tags=["tickets"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value] # the token's person (accounts.api.auth)


def _category(field: str, category_id: int | None) -> Category | None:
    if category_id is None:
        return None
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise validation_problem([{"field": field, "message": _("No such category.")}])
    return category


def _person(field: str, person_id: int | None, *, staff: bool) -> User | None:
    if person_id is None:
        return None
    people = User.objects.filter(pk=person_id)
    if staff:
        people = people.exclude(role=Role.MEMBER)
    person = people.first()
    if person is None:
        raise validation_problem([{"field": field, "message": _("No such person.")}])
    return person


def _detail_response(request: HttpRequest, number: int, status: int = 200) -> tuple:
    user = _user(request)
    ticket = ticket_get_for_user(user=user, number=number)
    body = schemas.TicketDetail.model_validate(ticket_detail(ticket, request=request, user=user))
    url = request.build_absolute_uri(reverse("api:ticket_read", kwargs={"number": number}))
    return (
        status,
        body.model_dump(mode="json"),
        {"ETag": ticket_etag(user=user, ticket=ticket), "Location": url},
    )


@router.get("", response=schemas.TicketList, url_name="ticket_list", summary="List tickets")
def list_tickets(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int | None = None,
    status: list[str] = Query(None),  # noqa: B008 - ninja's way to declare a parameter
    priority: str | None = None,
    assignee: str | None = Query(None, description="me, none or a person's id"),
    category: int | None = None,
    tag: str | None = None,
    requester: int | None = None,
    q: str | None = Query(None, description="Words searched as in the UI"),
    sort: str = Query(
        "updated", description="updated, oldest, created, priority, due, sla or number"
    ),
    sla: str | None = Query(None, description="soon or breached (staff)"),
    created_from: str | None = None,
    created_to: str | None = None,
):
    """The tickets you see, filtered, searched and sorted as in the ticket list (custom
    fields filter as ``cf_<key>=<value>``). Follow ``next`` for the next page: the walk is
    stable while tickets are added. A search filters; the order stays the chosen sort."""
    user = _user(request)
    filters = filters_from_query(request.GET)
    page = ticket_api_page(user=user, filters=filters, cursor=cursor, limit=page_size(limit))
    shaping = shaping_for(request=request, user=user)
    return list_body(request, page, [row_summary(row, tags, shaping) for row, tags in page.items])


@router.post(
    "", response={201: schemas.TicketDetail}, url_name="ticket_list", summary="Raise a ticket"
)
def create_ticket(request: HttpRequest, payload: schemas.TicketCreate):
    """As the ticket form: members raise tickets for themselves at normal priority (the
    staff-only fields are ignored). Send ``Idempotency-Key`` to retry safely."""

    def create() -> tuple:
        user = _user(request)
        ticket = ticket_create(
            actor=user,
            subject=payload.subject,
            description=payload.description,
            requester=_person("requester", payload.requester, staff=False),
            priority=payload.priority,
            category=_category("category", payload.category),
            assignee=_person("assignee", payload.assignee, staff=True),
            tags=payload.tags,
            custom=payload.custom if payload.custom is not None else {},
        )
        return _detail_response(request, ticket.number, status=201)

    return idempotent(request, create)


@router.get(
    "/{int:number}",
    response={200: schemas.TicketDetail, 304: None},
    url_name="ticket_read",
    summary="Read a ticket",
)
def read_ticket(request: HttpRequest, number: int, response: HttpResponse):
    """The ticket and its conversation (internal notes for staff only). Send the ETag back
    in ``If-None-Match``: 304 when nothing changed."""
    user = _user(request)
    ticket = ticket_get_for_user(user=user, number=number)
    etag = ticket_etag(user=user, ticket=ticket)
    if none_match(request, etag):
        return not_modified(etag)
    response["ETag"] = etag
    return ticket_detail(ticket, request=request, user=user)


@router.patch(
    "/{int:number}",
    response=schemas.TicketDetail,
    url_name="ticket_read",
    summary="Change a ticket's fields",
)
def update_ticket(
    request: HttpRequest, number: int, payload: schemas.TicketPatch, response: HttpResponse
):
    """Staff change status, priority, assignee, category, due date, subject, tags and custom
    fields. ``If-Match`` is required (428 without it) and must hold the ETag you read: if
    someone changed the ticket since, nothing changes and the answer is 412."""
    if_match = if_match_header(request)
    sent = payload.model_dump(exclude_unset=True)
    for required in ("subject", "status", "priority"):
        if required in sent and sent[required] is None:
            raise validation_problem([{"field": required, "message": _("This can't be empty.")}])
    # In the sidebar's order (EDITABLE), so the history reads as the UI's would.
    changes: dict[str, object] = {}
    for field in EDITABLE:
        if field not in sent:
            continue
        if field == "assignee":
            changes[field] = _person("assignee", sent[field], staff=True)
        elif field == "category":
            changes[field] = _category("category", sent[field])
        else:
            changes[field] = sent[field]
    changes.update(custom_changes(sent.get("custom") or {}))
    user = _user(request)
    ticket_update_if_match(
        actor=user, number=number, if_match=if_match, changes=changes, tags=sent.get("tags")
    )
    ticket = ticket_get_for_user(user=user, number=number)
    response["ETag"] = ticket_etag(user=user, ticket=ticket)
    return ticket_detail(ticket, request=request, user=user)


def _message(request: HttpRequest, number: int, body: str, *, internal: bool, status=None):
    def create() -> tuple:
        user = _user(request)
        ticket = ticket_get_for_user(user=user, number=number)
        reply = ticket_reply(actor=user, ticket=ticket, body=body, internal=internal, status=status)
        shown = reply_shape(reply_values(reply), staff=can(user, Perm.TICKET_VIEW_ALL))
        url = request.build_absolute_uri(reverse("api:ticket_read", kwargs={"number": number}))
        return (
            201,
            schemas.ReplyOut.model_validate(shown).model_dump(mode="json"),
            {"Location": url},
        )

    return idempotent(request, create)


@router.post(
    "/{int:number}/replies",
    response={201: schemas.ReplyOut},
    url_name="ticket_replies",
    summary="Reply on a ticket",
)
def reply_ticket(request: HttpRequest, number: int, payload: schemas.ReplyCreate):
    """A public reply (mailed to the requester and followers as from the UI). Staff may set
    the status with it. Send ``Idempotency-Key`` to retry safely."""
    return _message(request, number, payload.body, internal=False, status=payload.status)


@router.post(
    "/{int:number}/notes",
    response={201: schemas.ReplyOut},
    url_name="ticket_notes",
    summary="Add an internal note",
)
def note_ticket(request: HttpRequest, number: int, payload: schemas.NoteCreate):
    """An internal note, which only staff see (members get 403)."""
    return _message(request, number, payload.body, internal=True)


@router.post(
    "/{int:number}/merge",
    response=schemas.TicketDetail,
    url_name="ticket_merge",
    summary="Merge a ticket into another",
)
def merge_ticket(
    request: HttpRequest, number: int, payload: schemas.MergeRequest, response: HttpResponse
):
    """This ticket's conversation, files and people move into ``into``; this one closes.
    Answers the ticket it went into."""
    user = _user(request)
    source = ticket_get_for_user(user=user, number=number)
    require(user, Perm.TICKET_WORK)
    target = ticket_get_for_user(user=user, number=payload.into)
    merged = merge.ticket_merge(actor=user, source=source, target=target)
    ticket = ticket_get_for_user(user=user, number=merged.number)
    response["ETag"] = ticket_etag(user=user, ticket=ticket)
    return ticket_detail(ticket, request=request, user=user)
