"""Writes for saved views. Personal views: anyone who works tickets, his own. Shared views:
those with MANAGE_SHARED_TOOLS. Query strings arrive normalised (tickets.saved.query)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from tickets.saved.columns import column_keys_clean
from tickets.saved.models import MAX_NAME_CHARS, MAX_QUERY_CHARS, SavedView
from tickets.saved.selectors import saved_view_may_change

# Enough for anyone's sidebar; keeps the one counting query short.
MAX_VIEWS_PER_PERSON = 30
MAX_SHARED_VIEWS = 30


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if len(name) > MAX_NAME_CHARS:
        raise ValidationError(
            {"name": _("Keep the name under %(count)d characters.") % {"count": MAX_NAME_CHARS}}
        )
    return name


def _query(query: str) -> str:
    if len(query) > MAX_QUERY_CHARS:
        raise ValidationError(_("These filters are too long to save; remove some."))
    return query


def _siblings(owner_id: int | None) -> Q:
    return Q(owner__isnull=True) if owner_id is None else Q(owner_id=owner_id)


def _audit(actor: User, view: SavedView, change: str) -> None:
    """A shared view made, changed or deleted is in the audit log; anyone's own is not."""
    if view.owner_id is None:
        audit_record(
            action=AuditEvent.Action.SHARED_TOOLS_CHANGED,
            actor=actor,
            target=f"view “{view.name}”",
            detail={"change": change, "id": view.pk, "query": view.query},
        )


def _require_change(actor: User, view: SavedView) -> None:
    if not saved_view_may_change(user=actor, view=view):
        raise PermissionDenied("Only admins change shared views.")


@transaction.atomic
def saved_view_create(
    *, actor: User, name: str, query: str, columns: Sequence[str] = (), shared: bool = False
) -> SavedView:
    require(actor, Perm.TICKET_WORK)
    if shared:
        require(actor, Perm.MANAGE_SHARED_TOOLS)
    owner = None if shared else actor
    owner_id = None if owner is None else owner.pk
    siblings = SavedView.objects.select_for_update().filter(_siblings(owner_id))
    if len(siblings) >= (MAX_SHARED_VIEWS if shared else MAX_VIEWS_PER_PERSON):
        raise ValidationError(_("There are as many views as the sidebar holds; delete one first."))
    last = siblings.aggregate(last=Max("position"))["last"]
    view = SavedView.objects.create(
        name=_name(name),
        owner=owner,
        query=_query(query),
        columns=column_keys_clean(columns),
        position=0 if last is None else last + 1,
    )
    _audit(actor, view, "added")
    return view


@transaction.atomic
def saved_view_change(
    *, actor: User, view: SavedView, name: str, columns: Sequence[str]
) -> SavedView:
    """Rename the view and choose its columns."""
    _require_change(actor, view)
    view.name = _name(name)
    view.columns = column_keys_clean(columns)
    view.save(update_fields=["name", "columns"])
    _audit(actor, view, "renamed or columns changed")
    return view


@transaction.atomic
def saved_view_set_query(*, actor: User, view: SavedView, query: str) -> SavedView:
    """ "Update this view": the list's filters and sort now."""
    _require_change(actor, view)
    view.query = _query(query)
    view.save(update_fields=["query"])
    _audit(actor, view, "filters changed")
    return view


@transaction.atomic
def saved_view_delete(*, actor: User, view: SavedView) -> None:
    _require_change(actor, view)
    _audit(actor, view, "deleted")
    view.delete()


@transaction.atomic
def saved_view_move(*, actor: User, view: SavedView, up: bool) -> SavedView:
    """One place up or down among its siblings (shared, or the person's own)."""
    _require_change(actor, view)
    siblings = list(
        SavedView.objects.select_for_update()
        .filter(_siblings(view.owner_id))
        .order_by("position", "id")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == view.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    SavedView.objects.bulk_update(siblings, ["position"])
    return next(sibling for sibling in siblings if sibling.pk == view.pk)
