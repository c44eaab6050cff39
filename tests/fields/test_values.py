"""Each kind of custom field checks its value and stores it typed in Ticket.custom."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.support.tenancy import in_schema
from tickets.fields import services, values
from tickets.fields.models import TicketField
from tickets.models import Contact, Ticket
from tickets.services import tickets as ticket_services

Kind = TicketField.Kind


def test_a_ticket_stores_each_kind_typed(system_a, agent_a, every_kind):
    f = every_kind
    given = {
        f["text"].key: "A-1042",
        f["number"].key: values.stored(f["number"], Decimal("12")),
        f["date"].key: values.stored(f["date"], date(2026, 11, 2)),
        f["dropdown"].key: "Printer",
        f["multi"].key: values.stored(f["multi"], ["Porto", "Berlin"]),
        f["checkbox"].key: values.stored(f["checkbox"], True),
    }
    with in_schema(system_a):
        ticket = ticket_services.ticket_create(
            actor=agent_a, subject="s", description="d", custom=given
        )
        stored = Ticket.objects.values_list("custom", flat=True).get(pk=ticket.pk)

    assert stored == {
        "order_number": "A-1042",
        "affected_users": 12,
        "noticed_on": "2026-11-02",
        "product": "Printer",
        "offices": ["Berlin", "Porto"],  # in the field's order
        "under_warranty": True,
    }


def test_numbers_keep_their_fraction_and_empty_values_are_not_stored(every_kind):
    number, checkbox = every_kind["number"], every_kind["checkbox"]
    assert values.stored(number, Decimal("2.50")) == 2.5
    assert values.stored(number, Decimal("-3")) == -3
    assert values.stored(checkbox, False) is None
    assert values.stored(every_kind["text"], "   ") is None
    assert values.stored(every_kind["multi"], []) is None


@pytest.mark.parametrize(
    "kind,value",
    [
        ("text", "x" * 501),
        ("text", 42),
        ("number", "12"),
        ("number", True),
        ("number", 10**15),
        ("date", "2026-02-30"),
        ("date", "yesterday"),
        ("dropdown", "Scanner"),
        ("multi", ["Berlin", "Oslo"]),
        ("multi", "Berlin"),
        ("checkbox", False),
        ("checkbox", "yes"),
    ],
)
def test_a_value_the_field_cant_hold_is_refused(system_a, agent_a, every_kind, kind, value):
    field = every_kind[kind]
    with in_schema(system_a), pytest.raises(ValidationError) as refused:
        ticket_services.ticket_create(
            actor=agent_a, subject="s", description="d", custom={field.key: value}
        )
    assert field.name in refused.value.message_dict


def test_required_fields_are_required_unless_the_ticket_came_by_mail(system_a, agent_a, make_field):
    field = make_field("Order number", required=True)
    with in_schema(system_a):
        with pytest.raises(ValidationError) as refused:
            ticket_services.ticket_create(actor=agent_a, subject="s", description="d", custom={})
        assert refused.value.message_dict == {field.name: ["This field is required."]}
        # Internal callers give no form: no values, and nothing is required...
        ticket = ticket_services.ticket_create(actor=agent_a, subject="s", description="d")
        # ...nor does mail (tickets.mail.services.conversation.ticket_from_mail).
        contact = Contact.objects.create(email="someone@elsewhere.example")
        by_mail = ticket_services.ticket_create(
            actor=None, contact=contact, subject="s", description="d", via_mail=True
        )
    assert ticket.custom == by_mail.custom == {}


def test_a_member_can_not_fill_in_a_staff_only_field(system_a, member_a, make_field):
    secret = make_field("Internal cost", TicketField.Kind.NUMBER, staff_only=True)
    with in_schema(system_a), pytest.raises(ValidationError, match="no field"):
        ticket_services.ticket_create(
            actor=member_a, subject="s", description="d", custom={secret.key: 5}
        )


def test_keys_come_from_the_label_and_are_never_reused(system_a, owner_a, make_field):
    first = make_field("Order number!")
    with in_schema(system_a):
        services.ticket_field_update(
            actor=owner_a,
            field=first,
            label="Order no.",
            required=False,
            visibility="everyone",
        )
        services.ticket_field_archive(actor=owner_a, field=first, archived=True)
    second = make_field("Order number")
    with in_schema(system_a):
        first.refresh_from_db()
    assert (first.key, second.key) == ("order_number", "order_number_2")
    assert second.name == "cf_order_number_2"
