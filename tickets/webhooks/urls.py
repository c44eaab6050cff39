"""URLs of the Webhooks settings pages, on each System's host (included by tickets.urls)."""

from django.urls import path

from tickets.webhooks import views

urlpatterns = [
    path("settings/webhooks/", views.webhook_list, name="webhook_list"),
    path("settings/webhooks/new/", views.webhook_create, name="webhook_create"),
    path("settings/webhooks/<int:endpoint_id>/", views.webhook_edit, name="webhook_edit"),
    path(
        "settings/webhooks/<int:endpoint_id>/secret/",
        views.webhook_secret_roll,
        name="webhook_secret_roll",
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/delete/",
        views.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/deliveries/",
        views.webhook_deliveries,
        name="webhook_deliveries",
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/resend/",
        views.webhook_resend,
        name="webhook_resend",
    ),
    path("settings/webhooks/<int:endpoint_id>/ping/", views.webhook_ping, name="webhook_ping"),
]
