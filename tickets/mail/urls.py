"""URLs of the mail channel, on each System's host (included by tickets.urls)."""

from django.urls import path

from tickets.mail.views import contacts, inbox, mailbox, settings, unsubscribe

urlpatterns = [
    path("mail/unsubscribe/<str:token>/", unsubscribe.mail_unsubscribe, name="mail_unsubscribe"),
    path("settings/email/mailbox/", mailbox.mailbox_page, name="mail_mailbox"),
    path("settings/email/mailbox/check/", mailbox.mailbox_check, name="mail_mailbox_check"),
    path("settings/email/mailbox/disable/", mailbox.mailbox_disable, name="mail_mailbox_disable"),
    path("settings/email/", settings.mail_settings, name="mail_settings"),
    path("settings/email/forwarding/", settings.forwarding_add, name="mail_forwarding_add"),
    path(
        "settings/email/forwarding/<int:forwarding_id>/resend/",
        settings.forwarding_resend,
        name="mail_forwarding_resend",
    ),
    path(
        "settings/email/forwarding/<int:forwarding_id>/remove/",
        settings.forwarding_remove,
        name="mail_forwarding_remove",
    ),
    path("settings/email/messages/", inbox.mail_inbox, name="mail_inbox"),
    path("settings/email/messages/<int:message_id>/", inbox.mail_message, name="mail_message"),
    path(
        "settings/email/messages/<int:message_id>/original.eml",
        inbox.mail_message_raw,
        name="mail_message_raw",
    ),
    path(
        "settings/email/messages/<int:message_id>/<str:decision>/",
        inbox.mail_message_decide,
        name="mail_message_decide",
    ),
    path("tickets/<int:number>/mail/<int:inbound_id>/", inbox.mail_original, name="mail_original"),
    path(
        "tickets/<int:number>/mail/<int:inbound_id>/original.eml",
        inbox.mail_original_raw,
        name="mail_original_raw",
    ),
    path("contacts/", contacts.contacts, name="contacts"),
    path("contacts/<int:contact_id>/invite/", contacts.contact_invite, name="contact_invite"),
]
