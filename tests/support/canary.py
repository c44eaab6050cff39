"""Data only System A holds, for the cross-tenant matrix.

Every later feature adds its objects here and returns the URL keyword values that point
at them (a ticket number, an attachment id...), so the matrix requests A's real objects.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Invitation, User
from servicedesk.tokens import new_token
from tenants.models import ScheduledDeletion, System
from tenants.portability.models import Export
from tests.factories import InvoiceFactory, UserFactory
from tests.support.tenancy import CANARY_A, in_schema
from tickets.models import Attachment, Category, TicketField
from tickets.services.messages import message_edit
from tickets.services.tickets import ticket_create, ticket_reply


def _backups_canary(system: System) -> None:
    """A backup of A's and A's restore request (/settings/restore/ lists them)."""
    from tenants.backups.models import Backup, RestoreRequest

    backup = Backup.objects.create(
        system=system,
        system_slug=system.slug or "",
        schema_name=system.schema_name,
        status=Backup.Status.OK,
    )
    RestoreRequest.objects.create(
        system=system,
        backup=backup,
        reason=f"Restore {CANARY_A}",
        operator_note=f"Operator note {CANARY_A}",
        due_at=timezone.now() + timedelta(days=1),
        requested_by_label=f"Olga {CANARY_A}",
        requested_by_email="owner@alpha.example",
    )


def _takedowns_canary(system: System, *, number: int, attachment_id: int) -> None:
    """A file of A's taken down on a notice whose sender A's admins may read
    (/settings/takedowns/ shows them)."""
    from legal.models import Takedown, TakedownNotice

    notice = TakedownNotice.objects.create(
        sender_kind=TakedownNotice.SenderKind.RIGHTS_HOLDER,
        sender_name=f"Sender {CANARY_A}",
        sender_contact=f"rights-{CANARY_A.lower()}@holder.example",
        sender_private=False,
        reference=f"Ref {CANARY_A}",
        system=system,
        system_slug=system.slug or "",
        kind="attachment",
        object_id=attachment_id,
        ticket_number=number,
        document_name="notice.pdf",
        document_type="application/pdf",
        document_size=1,
        document_sha256="0" * 64,
        recorded_by="op@example.com",
        status=TakedownNotice.Status.ACTED,
    )
    Takedown.objects.create(
        system=system,
        notice=notice,
        kind="attachment",
        object_id=attachment_id,
        ticket_number=number,
        reason=f"Reason {CANARY_A}",
        operator_email="op@example.com",
    )


def seed_canary(system: System) -> tuple[dict[str, str], list[str]]:
    """Create A's canary rows; return (URL samples, strings that must never leak)."""
    with in_schema(system):
        owner = User.objects.filter(role=User.Role.OWNER).first() or UserFactory(
            role=User.Role.OWNER, full_name=f"Olga {CANARY_A}", email="owner@alpha.example"
        )
        member = UserFactory(role=User.Role.MEMBER, email="member@alpha.example")
        invitation = Invitation.objects.create(
            email=f"invitee-{CANARY_A.lower()}@alpha.example",
            role=User.Role.AGENT,
            token_hash=new_token()[1],
            invited_by=owner,
            invited_by_name=owner.full_name,
            expires_at=timezone.now() + timedelta(days=7),
        )
        category = Category.objects.create(name=f"Cat {CANARY_A}")
        field = TicketField.objects.create(label=f"Field {CANARY_A}", key="canary", kind="text")
        ticket = ticket_create(
            actor=member,
            subject=f"Ticket {CANARY_A}",
            description=f"Body {CANARY_A}",
            category=category,
            custom={field.key: f"Value {CANARY_A}"},
            files=[SimpleUploadedFile("canary.txt", f"file {CANARY_A}".encode())],
        )
        note = ticket_reply(actor=owner, ticket=ticket, body=f"Note {CANARY_A}", internal=True)
        # An edited note: its earlier text must never leak either.
        message_edit(actor=owner, message=note, body=f"Edited note {CANARY_A}")
        attachment = Attachment.objects.get(ticket=ticket)
    invoice = InvoiceFactory(system=system, number="INV-7f3c-ALPHA")
    export = Export.objects.create(
        system=system,
        requested_by_label=f"Olga {CANARY_A}",
        requested_by_email="owner@alpha.example",
        status=Export.Status.READY,
        stage=f"Stage {CANARY_A}",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    _backups_canary(system)
    _takedowns_canary(system, number=ticket.number, attachment_id=attachment.pk)
    samples = {
        "pk": str(owner.pk),
        "user_id": str(member.pk),
        "invitation_id": str(invitation.pk),
        "number": str(ticket.number),
        "attachment_id": str(attachment.pk),
        "reply_id": str(note.pk),
        "category_id": str(category.pk),
        "field_id": str(field.pk),
        "invoice_number": invoice.number,
        "export_id": str(export.pk),
    }
    secrets = [CANARY_A, owner.email, member.email, invoice.number]
    samples.update(_deletes_canary(system, owner=owner, member=member))
    samples.update(_notices_canary(system))
    samples.update(_responses_canary(system, owner=owner))
    samples.update(_kb_canary(system, owner=owner))
    samples.update(_api_tokens_canary(system, owner=owner))
    samples.update(_api_resources_canary(system, owner=owner, member=member))
    webhook_samples, webhook_secret = _webhooks_canary(system)
    samples.update(webhook_samples)
    return samples, [*secrets, webhook_secret]


def _webhooks_canary(system: System) -> tuple[dict[str, str], str]:
    """A webhook endpoint of A's with a delivery (tickets.webhooks); its secret must never
    leak."""
    from tickets.webhooks.models import WebhookDelivery, WebhookEndpoint
    from tickets.webhooks.signing import secret_new

    with in_schema(system):
        endpoint = WebhookEndpoint.objects.create(
            url=f"https://hooks.example.com/{CANARY_A}",
            description=f"Hook {CANARY_A}",
            events=["ticket.created"],
            secret=secret_new(),
        )
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event="ticket.created", body=f'{{"canary":"{CANARY_A}"}}'
        )
    return {"endpoint_id": str(endpoint.pk), "delivery_id": str(delivery.pk)}, endpoint.secret


def _api_resources_canary(system: System, *, owner: User, member: User) -> dict[str, str]:
    """What the API's other resources name by id: a person, a contact who wrote by mail, a
    shared saved view and the owner's own."""
    from tickets.mail.models import Contact
    from tickets.saved.models import SavedView

    with in_schema(system):
        contact = Contact.objects.create(
            email=f"contact-{CANARY_A.lower()}@outside.example", name=f"Contact {CANARY_A}"
        )
        SavedView.objects.create(name=f"Shared view {CANARY_A}", query="status=open")
        view = SavedView.objects.create(name=f"View {CANARY_A}", owner=owner, query="tag=x")
    return {"person_id": str(member.pk), "contact_id": str(contact.pk), "view_id": str(view.pk)}


def _api_tokens_canary(system: System, *, owner: User) -> dict[str, str]:
    """A System API token of A's (the token pages and their revoke forms)."""
    from accounts.apitokens.models import ApiToken, Scope
    from accounts.apitokens.services import api_token_create

    with in_schema(system):
        token = api_token_create(
            actor=owner, name=f"Token {CANARY_A}", scope=Scope.ADMIN, kind=ApiToken.Kind.SYSTEM
        ).token
    return {"token_id": str(token.pk)}


def _responses_canary(system: System, *, owner: User) -> dict[str, str]:
    """A shared canned response and an owner's own macro (tickets.responses)."""
    from tickets.responses.models import CannedResponse, Macro

    with in_schema(system):
        response = CannedResponse.objects.create(
            name=f"Response {CANARY_A}", body=f"Text {CANARY_A}"
        )
        macro = Macro.objects.create(
            name=f"Macro {CANARY_A}", owner=owner, body=f"Macro text {CANARY_A}"
        )
    return {"response_id": str(response.pk), "macro_id": str(macro.pk)}


def _deletes_canary(system: System, *, owner: User, member: User) -> dict[str, str]:
    """A ticket and a file of A's in the trash (deletes)."""
    from tickets.services.trash import attachment_trash, ticket_trash

    with in_schema(system):
        trashed = ticket_create(
            actor=member,
            subject=f"Trashed {CANARY_A}",
            description=f"Trashed body {CANARY_A}",
            files=[SimpleUploadedFile("trashed.txt", f"trashed {CANARY_A}".encode())],
        )
        ticket_trash(actor=owner, ticket=trashed, system=system)
        kept = ticket_create(
            actor=member,
            subject=f"Kept {CANARY_A}",
            description=f"Kept body {CANARY_A}",
            files=[SimpleUploadedFile("binned.txt", f"binned {CANARY_A}".encode())],
        )
        binned = attachment_trash(actor=owner, attachment=kept.attachments.get(), system=system)
    # A's pending deletion, and the undo link emailed to A's owner.
    token, digest = new_token()
    ScheduledDeletion.objects.create(
        system=system,
        requested_by_label=f"Olga {CANARY_A}",
        requested_by_email="owner@alpha.example",
        due_at=timezone.now() + timedelta(days=7),
        undo_token_hash=digest,
    )
    return {
        "trashed_number": str(trashed.number),
        "trashed_file_id": str(binned.pk),
        "undo_token": token,
    }


def _notices_canary(system: System) -> dict[str, str]:
    """A service notice about A alone, under way (its banner shows only to A's people)."""
    from legal.models import ServiceNotice

    notice = ServiceNotice.objects.create(
        kind=ServiceNotice.Kind.INCIDENT,
        title=f"Notice {CANARY_A}",
        body=f"Notice body {CANARY_A}",
        all_systems=False,
        starts_at=timezone.now() - timedelta(hours=1),
        published_at=timezone.now(),
    )
    notice.systems.set([system])
    return {"notice_id": str(notice.pk)}


def _kb_canary(system: System, *, owner: User) -> dict[str, str]:
    """An internal article of A's, edited (its earlier text kept), alone in its section; and a
    public article anyone may read, which holds nothing secret."""
    from tickets.kb import services as kb

    with in_schema(system):
        hidden = kb.section_create(actor=owner, name=f"Section {CANARY_A}")
        article = kb.article_create(
            actor=owner,
            section=hidden,
            title=f"Internal {CANARY_A}",
            body=f"Internal body {CANARY_A}",
            visibility="internal",
        )
        kb.article_update(
            actor=owner,
            article=article,
            section=hidden,
            title=f"Edited internal {CANARY_A}",
            body=f"Edited internal body {CANARY_A}",
            visibility="internal",
            language="en",
        )
        shared = kb.section_create(actor=owner, name="Getting started")
        kb.article_create(
            actor=owner, section=shared, title="Welcome", body="Hello.", visibility="public"
        )
    return {
        "section_id": str(hidden.pk),
        "article_id": str(article.pk),
        "article_slug": "edited-internal",
    }
