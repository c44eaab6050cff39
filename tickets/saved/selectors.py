"""Reads for saved views: who sees which, the view a list opens, the sidebar with counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Perm, can
from tickets.saved.columns import Column, columns_available, columns_for
from tickets.saved.counts import ViewCount, view_counts
from tickets.saved.models import SavedView
from tickets.saved.query import DEFAULT_BY_KEY, DEFAULT_VIEWS, Parser, query_normalise


def saved_views_for_user(*, user: User) -> list[SavedView]:
    """Shared views, then the person's own, each in their order; none for members."""
    if not can(user, Perm.TICKET_WORK):
        return []
    views = SavedView.objects.filter(Q(owner__isnull=True) | Q(owner=user)).order_by(
        "position", "id"
    )
    return sorted(views, key=lambda view: not view.is_shared)


def saved_view_get_for_user(*, user: User, view_id: int) -> SavedView:
    """The view, or 404 when it doesn't exist or ``user`` may not see it (another person's
    own view; any view for someone who doesn't work tickets). Whether he may change it is
    the services' question."""
    view = None
    if can(user, Perm.TICKET_WORK):
        view = SavedView.objects.filter(Q(owner__isnull=True) | Q(owner=user), pk=view_id).first()
    if view is None:
        raise Http404("No such view.")
    return view


def saved_view_may_change(*, user: User, view: SavedView) -> bool:
    if view.is_shared:
        return can(user, Perm.MANAGE_SHARED_TOOLS)
    return view.owner_id == user.pk and can(user, Perm.TICKET_WORK)


@dataclass
class ViewLink:
    ref: str  # the ?view= value: a default view's key or a saved view's id
    name: str | Promise
    query: str
    saved: SavedView | None = None
    count: ViewCount | None = None
    current: bool = False

    @property
    def url(self) -> str:
        """The list with the view's filters in the address (so its tabs, pages and filter
        form go on from them) and the view, for its columns."""
        view = urlencode({"view": self.ref})
        return f"/tickets/?{self.query}&{view}" if self.query else f"/tickets/?{view}"


def view_open(*, user: User, ref: str) -> ViewLink:
    """The view ``?view=`` names: a default view or a saved one; 404 for one ``user`` may not
    see."""
    if not can(user, Perm.TICKET_WORK):
        raise Http404("No such view.")
    if ref in DEFAULT_BY_KEY:
        default = DEFAULT_BY_KEY[ref]
        return ViewLink(default.key, default.name, default.query)
    if not ref.isdigit():
        raise Http404("No such view.")
    saved = saved_view_get_for_user(user=user, view_id=int(ref))
    return ViewLink(str(saved.pk), saved.name, saved.query, saved)


@dataclass
class ListViews:
    """What the ticket list shows of views: the sidebar, the open view, its columns."""

    defaults: list[ViewLink] = field(default_factory=list)
    shared: list[ViewLink] = field(default_factory=list)
    personal: list[ViewLink] = field(default_factory=list)
    opened: ViewLink | None = None
    columns: list[Column] = field(default_factory=list)
    available: list[Column] = field(default_factory=list)
    query: str = ""  # the list's filters now, normalised: what "Save view" keeps
    may_share: bool = False
    may_change: bool = False  # the open view, by this person
    changed: bool = False  # the filters differ from the open view's

    @property
    def shown(self) -> bool:
        return bool(self.defaults)

    @property
    def groups(self) -> list[tuple[str, list[ViewLink]]]:
        return [("", self.defaults), (_("Shared"), self.shared), (_("Yours"), self.personal)]

    @property
    def chosen(self) -> set[str]:
        return {column.key for column in self.columns}


def list_views(
    *,
    user: User,
    query: str,
    opened: ViewLink | None,
    parse: Parser,
    extra_columns: list[Column] | None = None,
) -> ListViews:
    """The views of the ticket list for ``user``, with their live counts (one query for the
    saved views, one for the generation, one for the counts not cached). ``extra_columns``:
    the System's own columns (custom fields), when the caller read them already."""
    saved = opened.saved if opened is not None else None
    staff = can(user, Perm.TICKET_WORK)
    result = ListViews(
        opened=opened,
        columns=columns_for(
            saved.columns if saved is not None else None, staff=staff, extra=extra_columns
        ),
        query=query,
    )
    if not staff:
        return result
    result.available = columns_available(extra=extra_columns)
    result.may_share = can(user, Perm.MANAGE_SHARED_TOOLS)
    result.may_change = saved is not None and saved_view_may_change(user=user, view=saved)
    if opened is not None:  # saved views' queries were normalised when saved
        kept = opened.query if saved is not None else query_normalise(opened.query, parse=parse)
        result.changed = query != kept
    result.defaults = [ViewLink(view.key, view.name, view.query) for view in DEFAULT_VIEWS]
    for view in saved_views_for_user(user=user):
        link = ViewLink(str(view.pk), view.name, view.query, view)
        (result.shared if view.is_shared else result.personal).append(link)
    links = [*result.defaults, *result.shared, *result.personal]
    counts = view_counts(user=user, queries=[link.query for link in links], parse=parse)
    for link in links:
        link.count = counts[link.query]
    current = None
    if opened is not None:
        current = next((link for link in links if link.ref == opened.ref), None)
    elif query:  # the filters of a view, reached without its link (saved ones are normalised)
        current = next(
            (
                link
                for link in links
                if (link.query if link.saved else query_normalise(link.query, parse=parse)) == query
            ),
            None,
        )
    if current is not None:
        current.current = True
    return result
