from django.urls import path

from tenants.backups import views

urlpatterns = [
    path("settings/restore/", views.restore_page, name="restore_request"),
]
