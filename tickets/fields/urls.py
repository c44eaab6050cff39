from django.urls import path

from tickets.fields import views

urlpatterns = [
    path("settings/fields/", views.field_list, name="ticket_field_list"),
    path("settings/fields/<int:field_id>/", views.field_edit, name="ticket_field_edit"),
    path("settings/fields/<int:field_id>/move/", views.field_move, name="ticket_field_move"),
    path(
        "settings/fields/<int:field_id>/archive/",
        views.field_archive,
        name="ticket_field_archive",
    ),
]
