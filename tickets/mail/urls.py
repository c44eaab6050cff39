"""URLs of the mail channel, on each System's host (included by tickets.urls)."""

from django.urls import path

from tickets.mail.views import unsubscribe

urlpatterns: list = [
    path("mail/unsubscribe/<str:token>/", unsubscribe.mail_unsubscribe, name="mail_unsubscribe"),
]
