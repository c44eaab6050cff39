"""/api/v1/views: saved views of the ticket list — the shared ones and the person's own, as
his sidebar lists them (staff; members have none). Running one is the ticket list with its
filters: each view carries ``tickets_url``, ``/api/v1/tickets`` with them in the API's
names. Creating and deleting go through the saved views' services: his own with the write
scope; shared ones also need ``MANAGE_SHARED_TOOLS`` and a token with the admin scope.
Mounted by TicketsConfig.ready()."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from accounts.api.auth import scope_require
from accounts.api.etags import etag_for, none_match, not_modified
from accounts.api.idempotency import idempotent
from accounts.api.pagination import Key, keyset_page, list_body, page_size
from accounts.apitokens.models import Scope
from accounts.models import User
from accounts.permissions import Perm, require
from tickets.api.refs import user_of
from tickets.api.selectors import filters_from_query
from tickets.mail.models import Contact
from tickets.saved.models import SavedView
from tickets.saved.query import Parser, query_normalise
from tickets.saved.selectors import saved_view_get_for_user
from tickets.saved.services import saved_view_create, saved_view_delete
from tickets.selectors import TicketFilters

router = Router(tags=["saved views"])

# The list page's parser of its query strings (``tickets.views.lists.filters_from``), handed
# in by TicketsConfig.ready() as tickets.saved.urls takes it: views keep the page's names.
_page_parser: list[Parser] = []


def page_parser_set(parse: Parser) -> None:
    _page_parser[:] = [parse]


def filters_from(query: QueryDict) -> TicketFilters:
    return _page_parser[0](query)


class ViewOut(Schema):
    id: int
    name: str
    shared: bool
    filters: str = Field(description="The view's filters in the API's names.")
    columns: list[str]
    tickets_url: str = Field(description="Run the view: the API's ticket list with its filters.")
    page_url: str = Field(description="The view in the help desk's ticket list.")
    url: str


class ViewList(Schema):
    items: list[ViewOut]
    next: str | None
    next_cursor: str | None


class ViewIn(Schema):
    name: str = Field(min_length=1, max_length=80)
    filters: str = Field(
        "",
        max_length=2000,
        description="A query string of GET /tickets (status=open&assignee=me&sort=priority).",
    )
    columns: list[str] = Field(default_factory=list)
    shared: bool = Field(False, description="Shared with all staff (admins, admin scope).")


# --- the list's filters in the API's names and the page's --------------------------------

_DATES = {"created_from": "from", "created_to": "to"}


def filters_query(filters: TicketFilters, *, page: bool) -> str:
    """``filters`` as a query string: the API's parameter names, or the list page's (which
    names the dates ``from``/``to`` and finds a contact by his address)."""
    pairs: list[tuple[str, object]] = [("status", status) for status in filters.statuses]
    pairs += [
        ("priority", filters.priority),
        ("assignee", filters.assignee),
        ("category", filters.category or ""),
        ("tag", filters.tag),
        ("requester", "" if filters.requester is None else filters.requester),
        ("q", filters.q),
        ("sla", filters.sla),
        ("sort", "" if filters.sort == "updated" else filters.sort),
    ]
    for name in _DATES:
        value = getattr(filters, name)
        pairs.append((_DATES[name] if page else name, value.isoformat() if value else ""))
    if filters.contact is not None:
        if page:
            email = Contact.objects.filter(pk=filters.contact).values_list("email", flat=True)
            pairs.append(("requester", email.first() or ""))
        else:
            pairs.append(("contact", filters.contact))
    pairs += [(f"cf_{key}", value) for key, value in sorted(filters.custom.items())]
    return urlencode([(name, value) for name, value in pairs if value not in ("", None)])


# --- reads ---------------------------------------------------------------------------------


def views_for_api(*, user: User) -> QuerySet[SavedView]:
    """``saved_views_for_user``'s rows and order (shared first, then his own, each by
    position) as a queryset to page by keyset; PermissionDenied for who has no views."""
    require(user, Perm.TICKET_WORK)
    mine = Case(
        When(owner__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return SavedView.objects.filter(Q(owner__isnull=True) | Q(owner=user)).annotate(personal=mine)


def view_shape(view: SavedView, *, request: HttpRequest) -> dict[str, object]:
    filters = filters_query(filters_from(QueryDict(view.query)), page=False)
    tickets = request.build_absolute_uri(reverse("api:ticket_list"))
    page = f"/tickets/?{view.query}&view={view.pk}" if view.query else f"/tickets/?view={view.pk}"
    return {
        "id": view.pk,
        "name": view.name,
        "shared": view.is_shared,
        "filters": filters,
        "columns": list(view.columns or []),
        "tickets_url": f"{tickets}?{filters}" if filters else tickets,
        "page_url": request.build_absolute_uri(page),
        "url": request.build_absolute_uri(reverse("api:saved_view_read", args=[view.pk])),
    }


@router.get("", response=ViewList, url_name="saved_view_list", summary="List saved views")
def list_views(request: HttpRequest, cursor: str | None = None, limit: int | None = None):
    """Shared views, then yours, in the sidebar's order (staff)."""
    page = keyset_page(
        views_for_api(user=user_of(request)),
        keys=(Key("personal"), Key("position"), Key("id")),
        cursor=cursor,
        limit=page_size(limit),
    )
    return list_body(request, page, [view_shape(view, request=request) for view in page.items])


def _etag(view: SavedView) -> str:
    return etag_for("view", view.pk, view.name, view.query, view.columns, view.position)


@router.get(
    "/{int:view_id}",
    response={200: ViewOut, 304: None},
    url_name="saved_view_read",
    summary="Read a saved view",
)
def read_view(request: HttpRequest, view_id: int, response: HttpResponse):
    view = saved_view_get_for_user(user=user_of(request), view_id=view_id)
    etag = _etag(view)
    if none_match(request, etag):
        return not_modified(etag)
    response["ETag"] = etag
    return view_shape(view, request=request)


# --- writes --------------------------------------------------------------------------------


@router.post("", response={201: ViewOut}, url_name="saved_view_list", summary="Save a view")
def create_view(request: HttpRequest, payload: ViewIn):
    """``filters`` as ``GET /tickets`` takes them (unknown values are field errors); kept as
    the list page keeps a view, so it opens there too. A shared view needs an admin and a
    token with the admin scope."""
    if payload.shared:
        scope_require(request, Scope.ADMIN)
    parsed = filters_from_query(QueryDict(payload.filters))
    query = query_normalise(filters_query(parsed, page=True), parse=filters_from)

    def create() -> tuple:
        view = saved_view_create(
            actor=user_of(request),
            name=payload.name,
            query=query,
            columns=payload.columns,
            shared=payload.shared,
        )
        body = ViewOut.model_validate(view_shape(view, request=request)).model_dump(mode="json")
        return 201, body, {"Location": body["url"], "ETag": _etag(view)}

    return idempotent(request, create)


@router.delete(
    "/{int:view_id}", response={204: None}, url_name="saved_view_read", summary="Delete a view"
)
def delete_view(request: HttpRequest, view_id: int):
    """Your own view; a shared one needs an admin and a token with the admin scope."""
    user = user_of(request)
    view = saved_view_get_for_user(user=user, view_id=view_id)
    if view.is_shared:
        scope_require(request, Scope.ADMIN)
    saved_view_delete(actor=user, view=view)
    return Status(204, None)
