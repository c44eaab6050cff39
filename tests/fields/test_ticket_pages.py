"""Custom fields on the new-ticket form and the ticket page: who sees which, required ones,
the sidebar's changes with their history, and the pages' query counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.support.forms import form_values
from tests.support.tenancy import client_for, in_schema
from tickets.fields import services as field_services
from tickets.fields.models import TicketField
from tickets.models import Ticket, TicketEvent
from tickets.services import tickets as ticket_services

Kind = TicketField.Kind


def _new(client, **data):
    base = {"subject": "VPN down", "description": "Since 9", "priority": "normal"}
    return client.post("/tickets/new/", {**base, **data})


def test_the_new_ticket_form_enforces_required_fields_and_keeps_what_was_typed(
    system_a, agent_client, make_field
):
    make_field("Order number", required=True)
    make_field("Product", Kind.DROPDOWN, choices=["Laptop", "Printer"], required=True)
    make_field("Affected users", Kind.NUMBER)

    response = _new(agent_client, cf_order_number="", cf_product="Printer", cf_affected_users="x")

    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("This field is required.") == 1
    assert "Enter a number." in page
    assert 'value="VPN down"' in page and '<option value="Printer" selected>' in page
    with in_schema(system_a):
        assert not Ticket.objects.exists()

    response = _new(
        agent_client, cf_order_number="A-7", cf_product="Printer", cf_affected_users="3"
    )

    assert response.status_code == 302
    with in_schema(system_a):
        ticket = Ticket.objects.get()
    assert ticket.custom == {"order_number": "A-7", "product": "Printer", "affected_users": 3}


def test_members_see_and_fill_in_only_the_fields_for_everyone(
    system_a, member_a, member_client, make_field
):
    make_field("Product", Kind.DROPDOWN, choices=["Laptop"])
    make_field("Internal cost", Kind.NUMBER, required=True, staff_only=True)

    page = member_client.get("/tickets/new/").content.decode()
    assert "Product" in page and "Internal cost" not in page and "cf_internal_cost" not in page

    # A staff-only field he sends anyway is not his to fill in, and not required of him.
    response = _new(member_client, cf_product="Laptop", cf_internal_cost="99")
    assert response.status_code == 302
    with in_schema(system_a):
        assert Ticket.objects.get().custom == {"product": "Laptop"}


def test_staff_only_fields_and_their_history_are_never_shown_to_members(
    system_a, member_a, agent_a, member_client, make_field, make_ticket
):
    make_field("Product", Kind.DROPDOWN, choices=["Laptop", "Printer"])
    make_field("Internal cost", Kind.NUMBER, staff_only=True)
    ticket = make_ticket(member_a, custom={"product": "Laptop"})
    with in_schema(system_a):
        ticket_services.ticket_update(
            actor=agent_a,
            ticket=ticket,
            changes={"cf_internal_cost": 1234, "cf_product": "Printer"},
        )

    page = member_client.get(f"/tickets/{ticket.number}/").content.decode()

    assert '<dt class="col-5">Product</dt><dd class="col-7">Printer</dd>' in page
    assert "changed Product from <strong>Laptop</strong> to <strong>Printer</strong>" in page
    assert "Internal cost" not in page and "<strong>1234</strong>" not in page
    staff_page = client_for(system_a, agent_a).get(f"/tickets/{ticket.number}/").content.decode()
    assert "changed Internal cost from <strong>—</strong> to <strong>1234</strong>" in staff_page


def test_the_sidebar_changes_custom_fields_each_a_line_of_history(
    system_a, member_a, agent_a, agent_client, every_kind, make_ticket
):
    ticket = make_ticket(member_a, custom={"product": "Laptop", "offices": ["Lyon"]})
    page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()
    shown = form_values(page, action=f"/tickets/{ticket.number}/fields/")

    response = agent_client.post(
        f"/tickets/{ticket.number}/fields/",
        {
            **shown,
            "cf_order_number": "A-9",
            "cf_affected_users": "12.5",
            "cf_noticed_on": "2026-11-02",
            "cf_product": "Printer",
            "cf_offices": ["Berlin", "Lyon"],
            "cf_under_warranty": "on",
        },
    )

    assert response.status_code == 302
    with in_schema(system_a):
        ticket.refresh_from_db()
        history = {
            e.field: (e.old_value, e.new_value)
            for e in TicketEvent.objects.filter(ticket=ticket, field__startswith="cf_")
        }
    assert ticket.custom == {
        "order_number": "A-9",
        "affected_users": 12.5,
        "noticed_on": "2026-11-02",
        "product": "Printer",
        "offices": ["Berlin", "Lyon"],
        "under_warranty": True,
    }
    assert history == {
        "cf_order_number": ("—", "A-9"),
        "cf_affected_users": ("—", "12.5"),
        "cf_noticed_on": ("—", "2026-11-02"),
        "cf_product": ("Laptop", "Printer"),
        "cf_offices": ("Lyon", "Berlin, Lyon"),
        "cf_under_warranty": ("—", "Yes"),
    }
    # Saved again untouched: nothing changes, nothing is recorded.
    page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()
    shown = form_values(page, action=f"/tickets/{ticket.number}/fields/")
    shown["cf_offices"] = ["Berlin", "Lyon"]  # form_values keeps one of several boxes
    assert agent_client.post(f"/tickets/{ticket.number}/fields/", shown).status_code == 302
    with in_schema(system_a):
        assert TicketEvent.objects.filter(ticket=ticket, field__startswith="cf_").count() == 6


def test_a_custom_field_someone_else_changed_meanwhile_is_asked_about(
    system_a, member_a, agent_a, owner_a, agent_client, make_field, make_ticket
):
    make_field("Product", Kind.DROPDOWN, choices=["Laptop", "Printer", "Phone"])
    ticket = make_ticket(member_a, custom={"product": "Laptop"})
    page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()
    shown = form_values(page, action=f"/tickets/{ticket.number}/fields/")
    with in_schema(system_a):
        ticket_services.ticket_update(actor=owner_a, ticket=ticket, changes={"cf_product": "Phone"})

    response = agent_client.post(
        f"/tickets/{ticket.number}/fields/", {**shown, "cf_product": "Printer", "status": "open"}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "yours: <strong>Printer</strong> / now: <strong>Phone</strong>" in page
    assert '<legend class="fs-6 mb-0">Product</legend>' in page
    with in_schema(system_a):
        ticket.refresh_from_db()
    assert (ticket.custom["product"], ticket.status) == ("Phone", "open")


def test_a_ticket_from_mail_without_a_required_value_stays_editable(
    system_a, agent_a, member_a, agent_client, make_field, make_ticket
):
    make_field("Order number", required=True)
    ticket = make_ticket(member_a)  # no form shown, as for mail: no values
    page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()
    shown = form_values(page, action=f"/tickets/{ticket.number}/fields/")

    response = agent_client.post(
        f"/tickets/{ticket.number}/fields/", {**shown, "status": "pending"}
    )

    assert response.status_code == 302
    with in_schema(system_a):
        ticket.refresh_from_db()
    assert (ticket.status, ticket.custom) == ("pending", {})


def test_archived_fields_leave_the_forms_but_their_values_stay_readable(
    system_a, owner_a, member_a, agent_client, member_client, make_field, make_ticket
):
    field = make_field("Product", Kind.DROPDOWN, choices=["Laptop"])
    ticket = make_ticket(member_a, custom={"product": "Laptop"})
    client_for(system_a, owner_a).post(f"/settings/fields/{field.pk}/archive/", {"archived": "1"})

    staff_page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert 'name="cf_product"' not in staff_page
    assert 'Product <span class="text-body-secondary">(archived)</span>' in staff_page
    assert "Laptop" in staff_page
    assert "Laptop" in member_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "cf_product" not in agent_client.get("/tickets/new/").content.decode()


def test_system_b_user_gets_a_404_for_a_ticket_with_fields(
    system_a, system_b, user_b, member_a, make_field, make_ticket
):
    make_field("Product", Kind.DROPDOWN, choices=["Laptop"])
    ticket = make_ticket(member_a, custom={"product": "Laptop"})
    client = client_for(system_b, user_b)
    assert client.get(f"/tickets/{ticket.number}/").status_code == 404
    assert client.post(f"/tickets/{ticket.number}/fields/", {"cf_product": ""}).status_code == 404


def test_the_pages_query_counts_do_not_grow_with_fields(
    system_a,
    member_a,
    agent_client,
    member_client,
    make_field,
    make_ticket,
    django_assert_max_num_queries,
):
    make_field("Product", Kind.DROPDOWN, choices=["Laptop"])
    ticket = make_ticket(member_a, custom={"product": "Laptop"})
    pages = {
        "new": "/tickets/new/",
        "detail": f"/tickets/{ticket.number}/",
    }
    counts = {}
    for client in (agent_client, member_client):
        for name, url in pages.items():
            client.get(url)
            with django_assert_max_num_queries(30) as one:
                response = client.get(url)
                assert response.status_code == 200 and "Product" in response.content.decode()
            counts[client, name] = len(one.captured_queries)
    for n in range(6):
        make_field(f"Extra {n}", Kind.MULTI, choices=["a", "b"])
    with in_schema(system_a):
        Ticket.objects.filter(pk=ticket.pk).update(
            custom={"product": "Laptop", **{f"extra_{n}": ["a"] for n in range(6)}}
        )
    for client in (agent_client, member_client):
        for name, url in pages.items():
            with django_assert_max_num_queries(counts[client, name]):
                response = client.get(url)
                assert "Extra 5" in response.content.decode()


def test_a_required_value_can_not_be_cleared_nor_an_archived_one_changed(
    system_a, owner_a, agent_a, member_a, agent_client, make_field, make_ticket
):
    required = make_field("Order number", required=True)
    archived = make_field("Old code")
    ticket = make_ticket(agent_a, custom={"order_number": "A-1", "old_code": "x"})
    page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()
    shown = form_values(page, action=f"/tickets/{ticket.number}/fields/")

    response = agent_client.post(
        f"/tickets/{ticket.number}/fields/", {**shown, "cf_order_number": "", "status": "open"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    with in_schema(system_a):
        field_services.ticket_field_archive(actor=owner_a, field=archived, archived=True)
        with pytest.raises(ValidationError, match="archived"):
            ticket_services.ticket_update(
                actor=agent_a, ticket=ticket, changes={archived.name: "y"}
            )
        ticket.refresh_from_db()
    assert ticket.custom == {required.key: "A-1", archived.key: "x"}
    assert ticket.status == "new"
