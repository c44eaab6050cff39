from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        from anymail.signals import inbound, tracking

        from accounts.api.app import api_router_add, api_view_mark
        from accounts.hooks import (
            person_deleted,
            person_joined,
            person_left,
            system_time_zone_changed,
        )
        from servicedesk import content, mail
        from tenants.storage import storage_source
        from tickets.api import catalog as api_catalog
        from tickets.api import files as api_files
        from tickets.api import kb as api_kb
        from tickets.api import people as api_people
        from tickets.api import saved as api_saved
        from tickets.api.routes import router as api_router
        from tickets.hooks import ticket_event
        from tickets.mail.outgoing import ticket_mail_send
        from tickets.mail.services.contacts import contact_person_joined
        from tickets.mail.services.delivery import outbound_delivery_record
        from tickets.mail.services.intake import raw_mail_bytes
        from tickets.mail.tracking import tracking_received
        from tickets.mail.webhooks import on_inbound
        from tickets.notifications import ticket_mail_sender
        from tickets.reports.sections import register_section
        from tickets.responses.services import macro_apply
        from tickets.satisfaction.report import satisfaction_answers_table, satisfaction_table
        from tickets.saved.columns import Column, column_register, column_source_register
        from tickets.selectors import attachment_bytes
        from tickets.services.bulk import bulk_action_connect
        from tickets.services.content import AttachmentContent, ReplyContent, TicketContent
        from tickets.services.people import history_forget_person
        from tickets.sla.display import sla_cell_html
        from tickets.sla.services.setup import system_time_zone_followed
        from tickets.views.columns import custom_field_columns
        from tickets.views.lists import filters_from
        from tickets.webhooks import receivers as webhooks

        storage_source("attachments")(attachment_bytes)
        storage_source("raw mail")(raw_mail_bytes)
        # The kinds of legal.models.ContentKind.
        content.register("ticket", TicketContent())
        content.register("reply", ReplyContent())
        content.register("attachment", AttachmentContent())
        person_deleted.connect(history_forget_person, dispatch_uid="tickets_forget_person")
        # What became of ticket mail: the send task's word, then the provider's events.
        ticket_mail_sender(ticket_mail_send)
        mail.delivery_recorder(outbound_delivery_record)
        tracking.connect(tracking_received, dispatch_uid="tickets_mail_tracking")
        # Mail providers' inbound mail, posted to anymail's webhooks on the public host.
        inbound.connect(on_inbound, dispatch_uid="tickets_mail_inbound")
        person_joined.connect(contact_person_joined, dispatch_uid="tickets_contact_joined")
        # Business hours count in the System's zone: a new zone moves the SLA deadlines.
        system_time_zone_changed.connect(
            system_time_zone_followed, dispatch_uid="tickets_sla_time_zone"
        )
        # The list's columns that sub-packages add (tickets.saved's registry): time left on
        # the nearest running SLA target, for staff, unless a view chose its columns.
        column_register(
            Column(
                "sla",
                "SLA",
                whole=lambda row, rendering: sla_cell_html(row.ticket, rendering.now),
                sort="sla",
                staff_only=True,
                staff_default=True,
            )
        )
        column_source_register(custom_field_columns)
        # The reports page's sections that sub-packages add (tickets.reports' registry).
        register_section("satisfaction", satisfaction_table)
        register_section("satisfaction_answers", satisfaction_answers_table)
        # A macro applied to the ticked tickets of the list (tickets.responses).
        bulk_action_connect(
            "macro",
            lambda actor, ticket, macro: macro_apply(actor=actor, ticket=ticket, macro=macro),
        )
        # Webhooks (tickets.webhooks): the System's events become signed deliveries.
        ticket_event.connect(webhooks.on_ticket_event, dispatch_uid="tickets_webhooks_tickets")
        person_joined.connect(webhooks.on_person_joined, dispatch_uid="tickets_webhooks_joined")
        person_left.connect(webhooks.on_person_left, dispatch_uid="tickets_webhooks_left")
        # The REST API's /api/v1/tickets (accounts.api's registry).
        api_router_add("/tickets", api_router)
        # Its other resources: files on tickets, people and contacts, categories, tags,
        # custom fields, saved views, the knowledge base.
        api_router_add("/tickets", api_files.router)
        # The upload's view refuses a body the System can't take before it is spooled.
        api_view_mark(api_files.UPLOAD_URL_NAME, stores_uploads=True)
        api_router_add("/people", api_people.people_router)
        api_router_add("/contacts", api_people.contacts_router)
        api_router_add("/categories", api_catalog.categories_router)
        api_router_add("/tags", api_catalog.tags_router)
        api_router_add("/fields", api_catalog.fields_router)
        api_saved.page_parser_set(filters_from)
        api_router_add("/views", api_saved.router)
        api_router_add("/kb", api_kb.router)
