"""Placeholders: filled in by plain substitution for each ticket, checked when saved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.support.tenancy import in_schema
from tickets.mail.models import Contact
from tickets.responses import services
from tickets.responses.placeholders import KNOWN, placeholders_fill
from tickets.responses.selectors import fill_context
from tickets.services.tickets import ticket_create

ALL = (
    "{{ requester.first_name }}|{{requester.name}}|{{ ticket.number }}|{{ ticket.subject }}|"
    "{{ agent.first_name }}|{{ agent.name }}|{{ system.name }}"
)


def test_every_placeholder_is_filled_for_a_persons_ticket(system_a, make_ticket, member_a, agent_a):
    ticket = make_ticket(member_a, subject="VPN drops")
    with in_schema(system_a):
        text = placeholders_fill(ALL, fill_context(ticket=ticket, agent=agent_a))

    assert text == f"Mia|Mia Member|{ticket.number}|VPN drops|Arno|Arno Agent|Alpha Support"


@pytest.mark.parametrize(
    ("name", "first", "full"),
    [("Eve Nguyễn", "Eve", "Eve Nguyễn"), ("", "eve@outside.example", "eve@outside.example")],
)
def test_a_contact_requester_fills_in_with_his_name_or_address(
    system_a, agent_a, name, first, full
):
    with in_schema(system_a):
        contact = Contact.objects.create(email="eve@outside.example", name=name)
        ticket = ticket_create(
            actor=None, contact=contact, subject="Invoice", description="Hi", via_mail=True
        )
        text = placeholders_fill(
            "{{ requester.first_name }}/{{ requester.name }}",
            fill_context(ticket=ticket, agent=agent_a),
        )

    assert text == f"{first}/{full}"


def test_text_that_looks_like_template_code_stays_text(system_a, make_ticket, member_a, agent_a):
    with in_schema(system_a):
        member_a.full_name = "{{ agent.name }} {% debug %}"
        member_a.save()
    ticket = make_ticket(member_a)
    body = "{% load static %}{% if x %}a{% endif %} {# note #} Hi {{ requester.name }}"
    with in_schema(system_a):
        saved = services.canned_response_create(
            actor=agent_a, name="Tricky", body=body, shared=False
        )
        text = placeholders_fill(saved.body, fill_context(ticket=ticket, agent=agent_a))

    # Filled once: a value that looks like a placeholder is not filled again.
    assert (
        text == "{% load static %}{% if x %}a{% endif %} {# note #} Hi {{ agent.name }} {% debug %}"
    )


@pytest.mark.parametrize(
    "body", ["Hi {{ requester.email }}", "{{ request.user.password }}", "{{}}"]
)
def test_saving_an_unknown_placeholder_is_refused_naming_the_known_ones(system_a, agent_a, body):
    with in_schema(system_a), pytest.raises(ValidationError) as refused:
        services.canned_response_create(actor=agent_a, name="Bad", body=body, shared=False)

    message = refused.value.message_dict["body"][0]
    assert message.startswith("Unknown placeholder: {{")
    assert KNOWN in message
    assert "{{ requester.first_name }}" in KNOWN


def test_names_are_unique_per_owner_whatever_the_case(system_a, agent_a, other_agent_a, admin_a):
    with in_schema(system_a):
        services.canned_response_create(actor=agent_a, name="Thanks", body="Thanks!", shared=False)
        # Another agent's own, and a shared one, may use the name.
        services.canned_response_create(
            actor=other_agent_a, name="thanks", body="Thanks!", shared=False
        )
        services.canned_response_create(actor=admin_a, name="THANKS", body="Thanks!", shared=True)
        with pytest.raises(ValidationError) as refused:
            services.canned_response_create(
                actor=agent_a, name=" thanks ", body="Again", shared=False
            )

    assert "already" in refused.value.message_dict["name"][0]


def test_only_admins_keep_shared_ones(system_a, agent_a, member_a):
    with in_schema(system_a):
        with pytest.raises(PermissionDenied):
            services.canned_response_create(actor=agent_a, name="S", body="x", shared=True)
        with pytest.raises(PermissionDenied):
            services.canned_response_create(actor=member_a, name="P", body="x", shared=False)
