import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema
from tickets.services import tickets as ticket_services


@pytest.fixture
def admin_a(system_a):
    with in_schema(system_a):
        return UserFactory(email="adele@alpha.example", full_name="Adele Admin", role=Role.ADMIN)


@pytest.fixture
def member_a(system_a):
    with in_schema(system_a):
        return UserFactory(email="mia@alpha.example", full_name="Mia Member", role=Role.MEMBER)


@pytest.fixture
def make_ticket(system_a):
    """``make_ticket(actor, subject=..., files=[(name, bytes)], **fields)`` in System A."""

    def make(actor, subject="Printer on floor 3 is jammed", files=(), **kw):
        with in_schema(system_a):
            return ticket_services.ticket_create(
                actor=actor,
                subject=subject,
                description=kw.pop("description", "It shows error E42."),
                files=[SimpleUploadedFile(name, content) for name, content in files],
                **kw,
            )

    return make


@pytest.fixture
def admin_client(system_a, admin_a):
    return client_for(system_a, admin_a)


@pytest.fixture
def agents_may_delete(system_a):
    system_a.agents_may_delete = True
    system_a.save(update_fields=["agents_may_delete"])
    return system_a
