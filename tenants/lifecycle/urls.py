from django.urls import path

from tenants.lifecycle import views

# Deleting the whole System.
urlpatterns = [
    path("settings/delete/", views.system_delete, name="system_delete"),
    path("settings/delete/undo/", views.system_delete_undo, name="system_delete_undo"),
    path(
        "settings/delete/undo/<str:undo_token>/",
        views.system_delete_undo_link,
        name="system_delete_undo_link",
    ),
]
