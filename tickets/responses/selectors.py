"""Reads: which canned responses and macros a person may use, find and change.

One rule for pages, the picker and the services: staff use the shared ones and their own;
another agent's own ones don't exist for them (404), whatever their role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Perm, can, require
from tickets.models import Priority, Status, Ticket
from tickets.responses.models import AssignTo, CannedResponse, Macro
from tickets.responses.placeholders import Context, placeholders_fill, system_name

PICKER_LIMIT = 20


def _usable[Row: (CannedResponse, Macro)](model: type[Row], user: User) -> QuerySet[Row]:
    require(user, Perm.TICKET_WORK)
    return model.objects.filter(Q(owner__isnull=True) | Q(owner=user))


def responses_for_user(*, user: User, q: str = "") -> QuerySet[CannedResponse]:
    """Shared responses and ``user``'s own, by name; ``q`` finds names containing it."""
    rows = _usable(CannedResponse, user)
    return rows.filter(name__icontains=q.strip()) if q.strip() else rows


def macros_for_user(*, user: User, q: str = "") -> QuerySet[Macro]:
    rows = _usable(Macro, user).select_related("assignee", "category")
    return rows.filter(name__icontains=q.strip()) if q.strip() else rows


def response_get_for_user(*, user: User, response_id: int) -> CannedResponse:
    """A response ``user`` may use, or 404 (someone else's own responses included)."""
    found = _usable(CannedResponse, user).filter(pk=response_id).first()
    if found is None:
        raise Http404("No such canned response.")
    return found


def macro_get_for_user(*, user: User, macro_id: int) -> Macro:
    found = macros_for_user(user=user).filter(pk=macro_id).first()
    if found is None:
        raise Http404("No such macro.")
    return found


def may_change(*, user: User, item: CannedResponse | Macro) -> bool:
    """His own ones, and shared ones for those who keep them (admins)."""
    if item.owner_id is None:
        return can(user, Perm.MANAGE_SHARED_TOOLS)
    return item.owner_id == user.pk


def fill_context(*, ticket: Ticket, agent: User) -> Context:
    return Context(ticket=ticket, agent=agent, system_name=system_name())


@dataclass(frozen=True)
class PickerMatch:
    id: int
    name: str
    shared: bool
    text: str


def response_matches(*, user: User, ticket: Ticket, q: str) -> list[PickerMatch]:
    """What the reply box's picker offers: names containing ``q`` (shared first, then his
    own), each with its text filled in for ``ticket``. ``ticket`` must be one ``user`` may
    see (tickets.selectors.ticket_get_for_user), with requester and contact selected."""
    first_shared = (F("owner_id").asc(nulls_first=True), Lower("name"), "id")
    rows = responses_for_user(user=user, q=q[:100]).order_by(*first_shared)[:PICKER_LIMIT]
    context = fill_context(ticket=ticket, agent=user)
    return [
        PickerMatch(
            id=row.pk,
            name=row.name,
            shared=row.is_shared,
            text=placeholders_fill(row.body, context),
        )
        for row in rows
    ]


def response_text(*, user: User, ticket: Ticket, response_id: str) -> str:
    """The reply box's text when the page is asked to insert a response (no script): the
    response filled in for ``ticket``; empty for an id that isn't one he may use."""
    if not response_id.isdigit():
        return ""
    found = _usable(CannedResponse, user).filter(pk=int(response_id)).first()
    if found is None:
        return ""
    return placeholders_fill(found.body, fill_context(ticket=ticket, agent=user))


def macro_summary(macro: Macro) -> list[str]:
    """What a macro does, one short line each, as lists show it."""
    lines = []
    if macro.status:
        lines.append(_("Status: %(status)s") % {"status": Status(macro.status).label})
    if macro.priority:
        lines.append(_("Priority: %(priority)s") % {"priority": Priority(macro.priority).label})
    if macro.assign_to == AssignTo.ME:
        lines.append(_("Assign to whoever applies it"))
    elif macro.assign_to == AssignTo.NOBODY:
        lines.append(_("Unassign"))
    elif macro.assign_to == AssignTo.PERSON:
        if macro.assignee:
            lines.append(_("Assign to %(name)s") % {"name": macro.assignee.get_full_name()})
        else:
            lines.append(_("Assign to a person who has left"))
    if macro.category_id:
        lines.append(_("Category: %(category)s") % {"category": macro.category})
    if macro.tags:
        lines.append(_("Add tags: %(tags)s") % {"tags": macro.tags})
    if macro.body:
        lines.append(_("Post an internal note") if macro.internal else _("Post a reply"))
    return lines


@dataclass(frozen=True)
class ToolChoice:
    pk: int
    name: str
    is_shared: bool


@dataclass(frozen=True)
class ReplyTools:
    """What the ticket page's reply box offers: responses to insert, macros to apply."""

    responses: list[ToolChoice]
    macros: list[ToolChoice]


def reply_tools(*, user: User) -> ReplyTools:
    """Shared ones first, then ``user``'s own, each by name: both kinds in one query (the
    ticket page is the one agents live on)."""
    fields = ("kind", "pk", "name", "owner_id")
    responses = (
        _usable(CannedResponse, user).annotate(kind=Value("r")).values_list(*fields).order_by()
    )
    macros = _usable(Macro, user).annotate(kind=Value("m")).values_list(*fields).order_by()
    rows = sorted(
        responses.union(macros, all=True).order_by(),
        key=lambda row: (row[3] is not None, row[2].lower(), row[1]),
    )
    choices: dict[str, list[ToolChoice]] = {"r": [], "m": []}
    for kind, pk, name, owner_id in rows:
        choices[kind].append(ToolChoice(pk=pk, name=name, is_shared=owner_id is None))
    return ReplyTools(responses=choices["r"], macros=choices["m"])
