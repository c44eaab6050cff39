"""/api/v1/categories, /tags and /fields: the words tickets are sorted by.

- Categories: everyone reads them (the ticket list's filter offers them all, archived ones
  too); admins (``MANAGE_CATEGORIES``, a token with the admin scope) add, rename and
  archive them through the settings page's services — there is no delete, as on the page.
- Tags: everyone reads them (the list's tag filter suggests them all). They are made and
  dropped on tickets (``PATCH /tickets/{number}`` with ``tags``); the UI has no page to
  rename or delete one, so neither has the API.
- Custom fields: definitions only, those the person may see (members: the fields shown to
  everyone). Values are read and written on tickets (``custom`` of ``/tickets``).

Mounted by TicketsConfig.ready().
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from accounts.api.auth import TokenAuth
from accounts.api.etags import etag_for, if_match_header, none_match, not_modified
from accounts.api.idempotency import idempotent
from accounts.api.pagination import Key, keyset_page, list_body, page_size
from accounts.apitokens.models import Scope
from accounts.permissions import Perm, can
from tickets.api.refs import user_of
from tickets.api.writes import category_etag, category_update_if_match
from tickets.fields.models import TicketField
from tickets.models import Category, Tag
from tickets.services.categories import category_create

categories_router = Router(tags=["categories"])
tags_router = Router(tags=["tags"])
fields_router = Router(tags=["fields"])


class CategoryOut(Schema):
    id: int
    name: str
    active: bool = Field(description="Archived ones stay on old tickets but can't be chosen.")
    position: int
    url: str


class CategoryList(Schema):
    items: list[CategoryOut]
    next: str | None
    next_cursor: str | None


class CategoryIn(Schema):
    name: str = Field(min_length=1, max_length=80)


class CategoryPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)
    active: bool | None = None


class TagOut(Schema):
    id: int
    name: str
    tickets_url: str = Field(description="The API's ticket list filtered by this tag.")


class TagList(Schema):
    items: list[TagOut]
    next: str | None
    next_cursor: str | None


class FieldOut(Schema):
    id: int
    key: str = Field(description="The key of the field's value in a ticket's ``custom``.")
    label: str
    kind: str = Field(description="text, number, date, dropdown, multi or checkbox.")
    choices: list[str]
    required: bool
    visibility: str = Field(description="everyone or staff.")
    active: bool = Field(description="Archived fields keep their values, take no new ones.")
    position: int
    filter: str = Field(description="The ticket list's filter parameter: cf_<key>.")


class FieldList(Schema):
    items: list[FieldOut]
    next: str | None
    next_cursor: str | None


# --- categories ----------------------------------------------------------------------------


def category_shape(category: Category, *, request: HttpRequest) -> dict[str, object]:
    return {
        "id": category.pk,
        "name": category.name,
        "active": category.is_active,
        "position": category.position,
        "url": request.build_absolute_uri(reverse("api:category_read", args=[category.pk])),
    }


@categories_router.get(
    "", response=CategoryList, url_name="category_list", summary="List categories"
)
def list_categories(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int | None = None,
    active: bool | None = Query(None, description="Only active (true) or archived (false)."),
):
    """In the settings page's order."""
    categories = Category.objects.all()
    if active is not None:
        categories = categories.filter(is_active=active)
    page = keyset_page(
        categories,
        keys=(Key("position"), Key("name"), Key("id")),
        cursor=cursor,
        limit=page_size(limit),
    )
    return list_body(request, page, [category_shape(c, request=request) for c in page.items])


@categories_router.get(
    "/{int:category_id}",
    response={200: CategoryOut, 304: None},
    url_name="category_read",
    summary="Read a category",
)
def read_category(request: HttpRequest, category_id: int, response: HttpResponse):
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise Http404("No such category.")
    etag = category_etag(category)
    if none_match(request, etag):
        return not_modified(etag)
    response["ETag"] = etag
    return category_shape(category, request=request)


@categories_router.post(
    "",
    response={201: CategoryOut},
    url_name="category_list",
    summary="Add a category",
    auth=TokenAuth(scope=Scope.ADMIN),
)
def create_category(request: HttpRequest, payload: CategoryIn):
    """Admins; a name already taken (in any case) is a field error."""

    def create() -> tuple:
        category = category_create(actor=user_of(request), name=payload.name)
        body = CategoryOut.model_validate(category_shape(category, request=request))
        return 201, body.model_dump(mode="json"), {"ETag": category_etag(category)}

    return idempotent(request, create)


@categories_router.patch(
    "/{int:category_id}",
    response=CategoryOut,
    url_name="category_read",
    summary="Rename or archive a category",
    auth=TokenAuth(scope=Scope.ADMIN),
)
def update_category(
    request: HttpRequest, category_id: int, payload: CategoryPatch, response: HttpResponse
):
    """Admins. ``If-Match`` is required (428 without it; 412 if it changed since)."""
    if_match = if_match_header(request)
    category = category_update_if_match(
        actor=user_of(request),
        category_id=category_id,
        if_match=if_match,
        name=payload.name,
        active=payload.active,
    )
    response["ETag"] = category_etag(category)
    return category_shape(category, request=request)


# --- tags ----------------------------------------------------------------------------------


@tags_router.get("", response=TagList, url_name="tag_list", summary="List tags")
def list_tags(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int | None = None,
    prefix: str | None = Query(None, description="Tags starting with these letters."),
):
    """By name."""
    tags = Tag.objects.all()
    if prefix and prefix.strip():
        tags = tags.filter(name__startswith=prefix.strip().lower()[:50])
    page = keyset_page(tags, keys=(Key("name"),), cursor=cursor, limit=page_size(limit))
    base = request.build_absolute_uri(reverse("api:ticket_list"))

    def shape(tag: Tag) -> dict[str, object]:
        link = f"{base}?{urlencode({'tag': tag.name})}"
        return {"id": tag.pk, "name": tag.name, "tickets_url": link}

    return list_body(request, page, [shape(item) for item in page.items])


# --- custom fields -------------------------------------------------------------------------


def _fields_for(request: HttpRequest):
    fields = TicketField.objects.all()
    if not can(user_of(request), Perm.TICKET_VIEW_ALL):
        fields = fields.filter(visibility=TicketField.Visibility.EVERYONE)
    return fields


def field_shape(field: TicketField) -> dict[str, object]:
    return {
        "id": field.pk,
        "key": field.key,
        "label": field.label,
        "kind": field.kind,
        "choices": list(field.choices or []),
        "required": field.required,
        "visibility": field.visibility,
        "active": field.is_active,
        "position": field.position,
        "filter": field.name,
    }


@fields_router.get("", response=FieldList, url_name="field_list", summary="List custom fields")
def list_fields(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int | None = None,
    active: bool | None = Query(None, description="Only active (true) or archived (false)."),
):
    """The ticket fields you may see, in the form's order (members: those shown to
    everyone)."""
    fields = _fields_for(request)
    if active is not None:
        fields = fields.filter(is_active=active)
    page = keyset_page(
        fields, keys=(Key("position"), Key("id")), cursor=cursor, limit=page_size(limit)
    )
    return list_body(request, page, [field_shape(item) for item in page.items])


@fields_router.get(
    "/{int:field_id}",
    response={200: FieldOut, 304: None},
    url_name="field_read",
    summary="Read a custom field",
)
def read_field(request: HttpRequest, field_id: int, response: HttpResponse):
    field = _fields_for(request).filter(pk=field_id).first()
    if field is None:
        raise Http404("No such field.")
    shape = field_shape(field)
    etag = etag_for("field", *shape.values())
    if none_match(request, etag):
        return not_modified(etag)
    response["ETag"] = etag
    return shape
