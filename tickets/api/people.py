"""/api/v1/people and /api/v1/contacts: who is who, as the pages show it.

- Admins and the owner (``VIEW_PEOPLE``, the seats page) see every account: address, role,
  active or not, suspended, second factor; they invite (``INVITE``, a token with the admin
  scope) through ``invitation_create`` — the seat cap, the hourly invite limit and the
  audit row are the seats page's.
- Agents see the active staff, as the assignee picker offers them (they assign through the
  API by id); members see nobody (the people page refuses them), only themselves at
  ``/people/me``.
- Contacts (people who wrote by mail without an account) are staff's, as on /contacts/.

Mounted by TicketsConfig.ready().
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from accounts import selectors as account_selectors
from accounts.api.auth import TokenAuth
from accounts.api.etags import etag_for, none_match, not_modified
from accounts.api.idempotency import idempotent
from accounts.api.pagination import Key, keyset_page, list_body, page_size
from accounts.api.problems import validation_problem
from accounts.apitokens.models import Scope
from accounts.models import Invitation, User
from accounts.permissions import Perm, can, require
from accounts.services.invitations import invitation_create
from servicedesk.http import client_ip
from tickets import selectors as ticket_selectors
from tickets.api.refs import person_ref, user_of
from tickets.api.schemas import PersonRef
from tickets.models import Contact

people_router = Router(tags=["people"])
contacts_router = Router(tags=["contacts"])

RoleCode = Literal["owner", "admin", "agent", "member"]
MAX_Q = 200


class PersonOut(Schema):
    id: int
    name: str
    email: str
    role: RoleCode
    active: bool
    url: str
    suspended: bool | None = Field(None, description="Admins only.")
    second_factor: bool | None = Field(None, description="Admins only.")
    joined_at: datetime | None = Field(None, description="Admins only.")


class PersonList(Schema):
    items: list[PersonOut]
    next: str | None
    next_cursor: str | None


class InvitationIn(Schema):
    email: str = Field(min_length=3, max_length=254)
    role: Literal["admin", "agent", "member"] = "member"


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    created_at: datetime
    expires_at: datetime
    invited_by: PersonRef | None


class InvitationList(Schema):
    items: list[InvitationOut]
    next: str | None
    next_cursor: str | None


class ContactOut(Schema):
    id: int
    email: str
    name: str
    created_at: datetime
    person: int | None = Field(description="His account's id, once he accepted an invitation.")
    ticket_count: int


class ContactList(Schema):
    items: list[ContactOut]
    next: str | None
    next_cursor: str | None


# --- people --------------------------------------------------------------------------------


def people_for_api(*, user: User) -> QuerySet[User]:
    """The accounts ``user`` may list: all of them for those who see the seats page, the
    active staff (the assignee picker's) for agents; PermissionDenied for members."""
    if can(user, Perm.VIEW_PEOPLE):
        return User.objects.all()
    require(user, Perm.TICKET_WORK)
    return ticket_selectors.staff_people()


def _people_rows(ids: list[int], *, full: bool) -> list[User]:
    rows = User.objects.filter(pk__in=ids)
    if full:
        mfa = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        rows = rows.annotate(has_mfa=Exists(mfa))
    found = {row.pk: row for row in rows}
    return [found[pk] for pk in ids if pk in found]


def person_shape(person: User, *, request: HttpRequest, full: bool) -> dict[str, object]:
    shape: dict[str, object] = {
        "id": person.pk,
        "name": person.get_full_name(),
        "email": person.email,
        "role": person.role,
        "active": person.is_active,
        "url": request.build_absolute_uri(reverse("api:person_read", args=[person.pk])),
    }
    if full:
        shape |= {
            "suspended": person.is_suspended,
            "second_factor": getattr(person, "has_mfa", None),
            "joined_at": person.date_joined,
        }
    return shape


def _person_etag(person: User, full: bool) -> str:
    return etag_for(
        "person",
        person.pk,
        person.full_name,
        person.email,
        person.role,
        person.is_active,
        person.suspended_at,
        getattr(person, "has_mfa", None),
        full,
    )


@people_router.get("", response=PersonList, url_name="person_list", summary="List people")
def list_people(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int | None = None,
    role: RoleCode | None = None,
    active: bool | None = Query(None, description="Admins: active or deactivated accounts."),
    q: str | None = Query(None, description="Part of a name or an address."),
):
    """By name. Admins see every account (the seats page); agents the active staff."""
    user = user_of(request)
    people = people_for_api(user=user)
    full = can(user, Perm.VIEW_PEOPLE)
    if role:
        people = people.filter(role=role)
    if active is not None:
        people = people.filter(is_active=active)
    if q and q.strip():
        words = q.strip()[:MAX_Q]
        people = people.filter(Q(full_name__icontains=words) | Q(email__icontains=words))
    page = keyset_page(
        people,
        keys=(Key("full_name"), Key("email"), Key("id")),
        cursor=cursor,
        limit=page_size(limit),
        load=lambda ids: _people_rows(ids, full=full),
    )
    return list_body(
        request, page, [person_shape(p, request=request, full=full) for p in page.items]
    )


def _read_person(request: HttpRequest, response: HttpResponse, person_id: int):
    user = user_of(request)
    full = can(user, Perm.VIEW_PEOPLE)
    if person_id != user.pk and not people_for_api(user=user).filter(pk=person_id).exists():
        raise Http404("No such person.")
    rows = _people_rows([person_id], full=full)
    if not rows:
        raise Http404("No such person.")
    person = rows[0]
    etag = _person_etag(person, full)
    if none_match(request, etag):
        return not_modified(etag)
    response["ETag"] = etag
    return person_shape(person, request=request, full=full)


@people_router.get(
    "/me", response={200: PersonOut, 304: None}, url_name="person_me", summary="Who am I"
)
def read_me(request: HttpRequest, response: HttpResponse):
    """The token's person (any role)."""
    return _read_person(request, response, user_of(request).pk)


@people_router.get(
    "/{int:person_id}",
    response={200: PersonOut, 304: None},
    url_name="person_read",
    summary="Read a person",
)
def read_person(request: HttpRequest, person_id: int, response: HttpResponse):
    return _read_person(request, response, person_id)


# --- invitations ---------------------------------------------------------------------------


def invitation_shape(invitation: Invitation) -> dict[str, object]:
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "role": invitation.role,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "invited_by": person_ref(invitation.invited_by, show_email=True)
        or {"id": None, "name": invitation.invited_by_name, "email": None},
    }


@people_router.get(
    "/invitations",
    response=InvitationList,
    url_name="invitation_list",
    summary="List pending invitations",
)
def list_invitations(request: HttpRequest, cursor: str | None = None, limit: int | None = None):
    """Invitations not yet accepted, revoked or expired (those who see the seats page)."""
    require(user_of(request), Perm.VIEW_PEOPLE)
    page = keyset_page(
        account_selectors.invitations_pending().select_related("invited_by"),
        keys=(Key("expires_at"), Key("id")),
        cursor=cursor,
        limit=page_size(limit),
        load=lambda ids: sorted(
            Invitation.objects.filter(pk__in=ids).select_related("invited_by"),
            key=lambda row: ids.index(row.pk),
        ),
    )
    return list_body(request, page, [invitation_shape(invitation) for invitation in page.items])


@people_router.post(
    "/invitations",
    response={201: InvitationOut},
    url_name="invitation_list",
    summary="Invite someone",
    auth=TokenAuth(scope=Scope.ADMIN),
)
def invite(request: HttpRequest, payload: InvitationIn):
    """As the seats page's form: the invitation mail leaves, a seat is promised. Refused
    (422, with the reason on ``email``) when no seat is free, the address has an account or
    an open invitation, or after too many invitations in the hour. Needs the admin scope
    and a person who may invite."""

    def create() -> tuple:
        user = user_of(request)
        try:
            invitation = invitation_create(
                actor=user, email=payload.email, role=payload.role, ip=client_ip(request)
            )
        except ValidationError as error:
            raise validation_problem(
                {"field": "email", "message": message} for message in error.messages
            ) from None
        body = InvitationOut.model_validate(invitation_shape(invitation)).model_dump(mode="json")
        return 201, body, {}

    return idempotent(request, create)


# --- contacts ------------------------------------------------------------------------------


def _contacts_rows(ids: list[int]) -> list[Contact]:
    live = Q(tickets__deleted_at__isnull=True)
    rows = Contact.objects.filter(pk__in=ids).annotate(ticket_count=Count("tickets", filter=live))
    found = {row.pk: row for row in rows}
    return [found[pk] for pk in ids if pk in found]


def contact_shape(contact: Contact) -> dict[str, object]:
    return {
        "id": contact.pk,
        "email": contact.email,
        "name": contact.name,
        "created_at": contact.created_at,
        "person": contact.person_id,
        "ticket_count": getattr(contact, "ticket_count", 0),
    }


@contacts_router.get("", response=ContactList, url_name="contact_list", summary="List contacts")
def list_contacts(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int | None = None,
    q: str | None = Query(None, description="Part of an address or a name."),
):
    """People who wrote by mail without an account, by address (staff)."""
    require(user_of(request), Perm.TICKET_VIEW_ALL)
    contacts = Contact.objects.all()
    if q and q.strip():
        words = q.strip()[:MAX_Q]
        contacts = contacts.filter(Q(email__icontains=words) | Q(name__icontains=words))
    page = keyset_page(
        contacts,
        keys=(Key("email"), Key("id")),
        cursor=cursor,
        limit=page_size(limit),
        load=_contacts_rows,
    )
    return list_body(request, page, [contact_shape(contact) for contact in page.items])


@contacts_router.get(
    "/{int:contact_id}",
    response={200: ContactOut, 304: None},
    url_name="contact_read",
    summary="Read a contact",
)
def read_contact(request: HttpRequest, contact_id: int, response: HttpResponse):
    require(user_of(request), Perm.TICKET_VIEW_ALL)
    rows = _contacts_rows([contact_id])
    if not rows:
        raise Http404("No such contact.")
    contact = rows[0]
    etag = etag_for("contact", contact.pk, contact.email, contact.name, contact.person_id)
    etag = etag_for(etag, contact.ticket_count)  # type: ignore[attr-defined]
    if none_match(request, etag):
        return not_modified(etag)
    response["ETag"] = etag
    return contact_shape(contact)
