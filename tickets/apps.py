from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        from accounts.hooks import person_deleted, person_joined
        from servicedesk import content
        from tenants.storage import storage_source
        from tickets.mail.services.contacts import contact_person_joined
        from tickets.mail.services.intake import raw_mail_bytes
        from tickets.selectors import attachment_bytes
        from tickets.services.content import AttachmentContent, ReplyContent, TicketContent
        from tickets.services.people import history_forget_person

        storage_source("attachments")(attachment_bytes)
        storage_source("raw mail")(raw_mail_bytes)
        # The kinds of legal.models.ContentKind.
        content.register("ticket", TicketContent())
        content.register("reply", ReplyContent())
        content.register("attachment", AttachmentContent())
        person_deleted.connect(history_forget_person, dispatch_uid="tickets_forget_person")
        person_joined.connect(contact_person_joined, dispatch_uid="tickets_contact_joined")
