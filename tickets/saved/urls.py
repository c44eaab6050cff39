"""URLs of saved views, on each System's host (included by tickets.urls, which hands in the
list's parser of query strings: the list page imports this package, not the reverse)."""

from __future__ import annotations

from django.urls import URLPattern, path

from tickets.saved import views
from tickets.saved.query import Parser


def patterns(*, parse: Parser) -> list[URLPattern]:
    parser = {"parse": parse}
    return [
        path("tickets/views/", views.saved_view_list, name="saved_view_list"),
        path("tickets/views/new/", views.saved_view_new, parser, name="saved_view_new"),
        path("tickets/views/<int:view_id>/", views.saved_view_edit, name="saved_view_edit"),
        path(
            "tickets/views/<int:view_id>/update/",
            views.saved_view_update,
            parser,
            name="saved_view_update",
        ),
        path(
            "tickets/views/<int:view_id>/delete/",
            views.saved_view_delete,
            name="saved_view_delete",
        ),
        path("tickets/views/<int:view_id>/move/", views.saved_view_move, name="saved_view_move"),
    ]
