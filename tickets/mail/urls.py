"""URLs of the mail channel, on each System's host (included by tickets.urls)."""

from django.urls import path

from tickets.mail.views import mailbox, unsubscribe

urlpatterns: list = [
    path("mail/unsubscribe/<str:token>/", unsubscribe.mail_unsubscribe, name="mail_unsubscribe"),
    path("settings/email/mailbox/", mailbox.mailbox_page, name="mail_mailbox"),
    path("settings/email/mailbox/check/", mailbox.mailbox_check, name="mail_mailbox_check"),
    path("settings/email/mailbox/disable/", mailbox.mailbox_disable, name="mail_mailbox_disable"),
]
