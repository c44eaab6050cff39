from django.urls import path

from tickets.collab import views

urlpatterns = [
    path("tickets/<int:number>/presence/", views.ticket_presence, name="ticket_presence"),
    path("tickets/<int:number>/take/", views.ticket_take_view, name="ticket_take"),
]
