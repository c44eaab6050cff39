import pytest

from tests.support.tenancy import client_for, in_schema
from tickets.fields import services
from tickets.fields.models import TicketField

Kind = TicketField.Kind


@pytest.fixture
def make_field(system_a, owner_a):
    """``make_field(label, kind, choices=..., required=..., staff_only=...)`` in System A."""

    def make(label, kind=Kind.TEXT, *, choices=(), required=False, staff_only=False):
        with in_schema(system_a):
            return services.ticket_field_create(
                actor=owner_a,
                label=label,
                kind=kind,
                choices=choices,
                required=required,
                visibility=TicketField.Visibility.STAFF
                if staff_only
                else TicketField.Visibility.EVERYONE,
            )

    return make


@pytest.fixture
def every_kind(make_field):
    """One field of each kind, visible to everyone."""
    return {
        "text": make_field("Order number"),
        "number": make_field("Affected users", Kind.NUMBER),
        "date": make_field("Noticed on", Kind.DATE),
        "dropdown": make_field("Product", Kind.DROPDOWN, choices=["Laptop", "Printer"]),
        "multi": make_field("Offices", Kind.MULTI, choices=["Berlin", "Lyon", "Porto"]),
        "checkbox": make_field("Under warranty", Kind.CHECKBOX),
    }


@pytest.fixture
def owner_client(system_a, owner_a):
    return client_for(system_a, owner_a)


@pytest.fixture
def agent_client(system_a, agent_a):
    return client_for(system_a, agent_a)


@pytest.fixture
def member_client(system_a, member_a):
    return client_for(system_a, member_a)
