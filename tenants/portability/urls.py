from django.urls import path

from tenants.portability import views

urlpatterns = [
    path("settings/export/", views.export_page, name="export"),
    path(
        "settings/export/<int:export_id>/progress/", views.export_progress, name="export_progress"
    ),
    path(
        "settings/export/<int:export_id>/download/", views.export_download, name="export_download"
    ),
]
