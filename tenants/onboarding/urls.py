"""In a System: its owner opens another one."""

from django.urls import path

from tenants.onboarding import views

urlpatterns = [
    path("settings/new-system/", views.open_system, name="open_system"),
    path("settings/new-system/check/", views.open_system_check, name="open_system_check"),
]
