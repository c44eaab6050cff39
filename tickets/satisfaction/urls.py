"""URLs of satisfaction ratings, on each System's host (included by tickets.urls)."""

from django.urls import path

from tickets.satisfaction import views

urlpatterns = [
    path("satisfaction/<str:token>/", views.satisfaction_link, name="satisfaction_link"),
    path(
        "tickets/<int:number>/satisfaction/",
        views.satisfaction_rate,
        name="satisfaction_rate",
    ),
]
