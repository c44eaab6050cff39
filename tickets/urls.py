from django.urls import include, path

from tickets.saved import urls as saved_urls
from tickets.views import detail, lists, messages, settings, trash

urlpatterns = [
    path("", lists.dashboard, name="dashboard"),
    path("", include("tickets.mail.urls")),
    path("", include("tickets.responses.urls")),
    path("", include("tickets.kb.urls")),
    path("", include("tickets.sla.urls")),
    path("", include("tickets.collab.urls")),
    path("", include(saved_urls.patterns(parse=lists.filters_from))),
    path("", include("tickets.fields.urls")),
    path("", include("tickets.onboarding.urls")),
    path("", include("tickets.satisfaction.urls")),
    path("", include("tickets.reports.urls")),
    path("", include("tickets.webhooks.urls")),
    path("tickets/", lists.ticket_list, name="ticket_list"),
    path("tickets/new/", detail.ticket_new, name="ticket_new"),
    path("tickets/bulk/", lists.ticket_bulk, name="ticket_bulk"),
    path("tickets/<int:number>/", detail.ticket_detail, name="ticket_detail"),
    path("tickets/<int:number>/fields/", detail.ticket_fields, name="ticket_fields"),
    path("tickets/<int:number>/close/", detail.ticket_close, name="ticket_close"),
    path("tickets/<int:number>/reopen/", detail.ticket_reopen, name="ticket_reopen"),
    path("tickets/<int:number>/follow/", detail.ticket_follow, name="ticket_follow"),
    path("tickets/<int:number>/merge/", detail.ticket_merge, name="ticket_merge"),
    path(
        "tickets/<int:number>/files/<int:attachment_id>/",
        detail.attachment_download,
        name="attachment_download",
    ),
    # Single messages edited or deleted after posting.
    path(
        "tickets/<int:number>/description/edit/",
        messages.description_edit,
        name="description_edit",
    ),
    path(
        "tickets/<int:number>/replies/<int:reply_id>/edit/",
        messages.reply_edit,
        name="reply_edit",
    ),
    path(
        "tickets/<int:number>/replies/<int:reply_id>/delete/",
        messages.reply_delete,
        name="reply_delete",
    ),
    path(
        "tickets/<int:number>/files/<int:attachment_id>/delete/",
        messages.attachment_delete,
        name="attachment_delete",
    ),
    path("settings/categories/", settings.category_list, name="category_list"),
    path(
        "settings/categories/<int:category_id>/",
        settings.category_update,
        name="category_update",
    ),
    path("account/notifications/", settings.notification_settings, name="notification_settings"),
    # The trash.
    path("tickets/<int:number>/trash/", trash.ticket_trash, name="ticket_trash"),
    path(
        "tickets/<int:number>/files/<int:attachment_id>/trash/",
        trash.attachment_trash,
        name="attachment_trash",
    ),
    path("trash/", trash.trash_list, name="trash"),
    path(
        "trash/tickets/<int:trashed_number>/restore/",
        trash.trash_ticket_restore,
        name="trash_ticket_restore",
    ),
    path(
        "trash/tickets/<int:trashed_number>/delete/",
        trash.trash_ticket_purge,
        name="trash_ticket_purge",
    ),
    path(
        "trash/files/<int:trashed_file_id>/restore/",
        trash.trash_file_restore,
        name="trash_file_restore",
    ),
    path(
        "trash/files/<int:trashed_file_id>/delete/",
        trash.trash_file_purge,
        name="trash_file_purge",
    ),
    path("settings/trash/", trash.agents_may_delete, name="agents_may_delete"),
]
