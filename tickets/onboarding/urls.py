"""URLs of the set-up checklist, on each System's host (included by tickets.urls)."""

from django.urls import path

from tickets.onboarding import views

urlpatterns = [
    path("setup/checklist/hide/", views.checklist_hide, name="checklist_hide"),
]
