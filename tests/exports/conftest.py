import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role
from legal.services import access as access_services
from legal.services import consents as consent_services
from tests.factories import UserFactory
from tests.support.tenancy import in_schema
from tickets.fields import services as field_services
from tickets.models import Category
from tickets.services import tickets as ticket_services


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def rich_system_a(system_a, owner_a, agent_a, operator_user):
    """System A with a bit of everything: people, tickets, notes, files, a consent change
    and an operator's access."""
    with in_schema(system_a):
        member = UserFactory(email="mia@alpha.example", full_name="Mia Member", role=Role.MEMBER)
        category = Category.objects.create(name="Hardware")
        # Custom fields: their definitions and typed values travel in the rows too.
        field_services.ticket_field_create(
            actor=owner_a, label="Product", kind="dropdown", choices=["Laptop", "Printer"]
        )
        field_services.ticket_field_create(
            actor=owner_a, label="Refund approved", kind="checkbox", visibility="staff"
        )
        first = ticket_services.ticket_create(
            actor=member,
            subject="Printer jams",
            description="It shows **E42**; see the photo.",
            category=category,
            custom={"product": "Printer"},
            files=[
                SimpleUploadedFile("photo.png", png_bytes()),
                SimpleUploadedFile("notes.txt", b"tray 2, again"),
            ],
        )
        ticket_services.ticket_reply(actor=agent_a, ticket=first, body="On my way.")
        ticket_services.ticket_reply(
            actor=agent_a, ticket=first, body="Internal: toner low", internal=True
        )
        second = ticket_services.ticket_create(
            actor=owner_a,
            subject='=HYPERLINK("http://evil")',
            description="A subject a spreadsheet must not run.",
            custom={"product": "Laptop", "refund_approved": True},
            files=[SimpleUploadedFile("notes.txt", b"same name, other ticket")],
        )
        consent_services.consents_update(
            actor=owner_a, reference=True, announcements=False, ip="192.0.2.1"
        )
    access = access_services.access_grant(
        operator=operator_user,
        system=system_a,
        reason="technical_fix",
        note="Looking at a slow page",
        minutes=30,
    )
    access_services.access_log_view(access=access, what="Ticket #1")
    return {"member": member, "tickets": [first, second]}
