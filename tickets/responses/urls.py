"""URLs of canned responses and macros, on each System's host (included by tickets.urls)."""

from django.urls import path

from tickets.responses.views import canned, macros, ticket

urlpatterns = [
    path("responses/", canned.response_list, name="response_list"),
    path("responses/new/", canned.response_create, name="response_create"),
    path("responses/<int:response_id>/", canned.response_edit, name="response_edit"),
    path("responses/<int:response_id>/delete/", canned.response_delete, name="response_delete"),
    path("macros/", macros.macro_list, name="macro_list"),
    path("macros/new/", macros.macro_create, name="macro_create"),
    path("macros/<int:macro_id>/", macros.macro_edit, name="macro_edit"),
    path("macros/<int:macro_id>/delete/", macros.macro_delete, name="macro_delete"),
    path("tickets/<int:number>/responses/", ticket.response_picker, name="response_picker"),
    path("tickets/<int:number>/macro/", ticket.macro_apply, name="macro_apply"),
]
