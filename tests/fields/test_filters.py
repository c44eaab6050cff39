"""The ticket list filters on custom fields (cf_<key>=<value>) with the GIN index."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.template import Context, Template

from tests.support.tenancy import client_for, in_schema
from tickets import selectors
from tickets.fields.models import TicketField
from tickets.fields.selectors import list_fields
from tickets.models import SavedView, Ticket
from tickets.views.lists import filters_from

Kind = TicketField.Kind


@pytest.fixture
def tickets(system_a, agent_a, every_kind, make_ticket):
    """Three tickets with different values, by subject."""
    made = {
        "laptop": make_ticket(
            agent_a,
            subject="laptop",
            custom={
                "order_number": "A-1",
                "affected_users": 3,
                "noticed_on": "2026-11-02",
                "product": "Laptop",
                "offices": ["Berlin", "Lyon"],
                "under_warranty": True,
            },
        ),
        "printer": make_ticket(
            agent_a,
            subject="printer",
            custom={"affected_users": 2.5, "product": "Printer", "offices": ["Lyon"]},
        ),
        "bare": make_ticket(agent_a, subject="bare", custom={}),
    }
    return made


def _found(user, query: str) -> set[str]:
    filters = filters_from(QueryDict(query))
    page = selectors.ticket_page(user=user, filters=filters)
    return {row.ticket.subject for row in page.rows}


@pytest.mark.parametrize(
    "query,expected",
    [
        ("cf_order_number=A-1", {"laptop"}),
        ("cf_affected_users=3", {"laptop"}),
        ("cf_affected_users=3.0", {"laptop"}),
        ("cf_affected_users=2.5", {"printer"}),
        ("cf_noticed_on=2026-11-02", {"laptop"}),
        ("cf_product=Printer", {"printer"}),
        ("cf_offices=Lyon", {"laptop", "printer"}),
        ("cf_offices=Berlin", {"laptop"}),
        ("cf_under_warranty=yes", {"laptop"}),
        ("cf_under_warranty=no", {"printer", "bare"}),
        ("cf_product=Laptop&cf_offices=Lyon", {"laptop"}),
        ("cf_product=Scanner", set()),
        # Values a field can't hold, and fields that don't exist, are left out.
        ("cf_affected_users=many", {"laptop", "printer", "bare"}),
        ("cf_noticed_on=someday", {"laptop", "printer", "bare"}),
        ("cf_nothing=1", {"laptop", "printer", "bare"}),
    ],
)
def test_the_list_filters_by_each_kind(system_a, agent_a, tickets, query, expected):
    with in_schema(system_a):
        assert _found(agent_a, query) == expected


def test_an_archived_fields_filter_is_ignored(system_a, owner_a, agent_a, tickets, every_kind):
    from tickets.fields import services

    with in_schema(system_a):
        services.ticket_field_archive(actor=owner_a, field=every_kind["dropdown"], archived=True)
        assert _found(agent_a, "cf_product=Printer") == {"laptop", "printer", "bare"}


def test_members_can_not_filter_on_staff_only_fields(system_a, member_a, make_field, make_ticket):
    make_field("Internal cost", Kind.NUMBER, staff_only=True)
    make_ticket(member_a, subject="mine")
    with in_schema(system_a):
        Ticket.objects.update(custom={"internal_cost": 5})
        # Filtering would tell him the hidden value: the filter is left out.
        assert _found(member_a, "cf_internal_cost=6") == {"mine"}


def test_a_custom_field_filter_is_an_index_scan(system_a, agent_a, tickets):
    laptop = tickets["laptop"]
    with in_schema(system_a):
        # 3,000 copies of a ticket, each its own order number, then fresh statistics: a
        # planner that knows the table is big enough picks the partial jsonb_path_ops index.
        columns = [f.column for f in Ticket._meta.concrete_fields if not f.primary_key]
        values = {
            "number": "number + 1000000 + n",
            "custom": "jsonb_build_object('order_number', 'B-' || n, 'product', 'Laptop')",
        }
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO tickets_ticket ({', '.join(columns)}) "
                f"SELECT {', '.join(values.get(c, c) for c in columns)} "
                "FROM tickets_ticket, generate_series(1000, 3999) AS n WHERE id = %s",
                [laptop.pk],
            )
            cursor.execute("ANALYZE tickets_ticket")
        filters = filters_from(QueryDict("cf_order_number=B-1234&cf_product=Laptop"))
        sql, params = selectors._filtered(agent_a, filters).values("id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert _found(agent_a, "cf_order_number=B-1234") == {"laptop"}

    assert "Bitmap Index Scan on tickets_custom_idx" in plan, plan


def test_the_list_shows_the_filter_controls_and_keeps_its_query_count(
    system_a, agent_a, tickets, make_ticket, django_assert_max_num_queries
):
    client = client_for(system_a, agent_a)
    url = "/tickets/?cf_product=Laptop&cf_under_warranty=yes"
    client.get(url)
    with django_assert_max_num_queries(18) as one:  # the sidebar, the cached view counts
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200 and ">laptop<" in page and ">printer<" not in page
    queries = len(one.captured_queries)  # (the next request empties the connection's log)
    assert '<select id="f-cf_product" name="cf_product">' in page
    assert '<option value="Laptop" selected>' in page
    assert '<option value="yes" selected>Yes</option>' in page
    for n in range(20):
        make_ticket(
            agent_a,
            subject=f"more {n}",
            custom={"product": "Laptop", "under_warranty": True},
        )
    client.get(url)  # the sidebar counts again after the writes, then caches
    with django_assert_max_num_queries(queries):
        response = client.get(url)
        assert ">more 19<" in response.content.decode()


def test_list_columns_show_a_tickets_value_for_the_fields_the_person_may_see(
    system_a, member_a, agent_a, make_field, make_ticket
):
    make_field("Offices", Kind.MULTI, choices=["Berlin", "Lyon"])
    make_field("Internal cost", Kind.NUMBER, staff_only=True)
    ticket = make_ticket(agent_a, custom={"offices": ["Berlin", "Lyon"], "internal_cost": 7})
    template = Template(
        "{% load custom_fields %}{% for f in fields %}{{ f.label }}={{ ticket|custom_value:f }};"
        "{% endfor %}"
    )
    with in_schema(system_a):
        shown = {
            who.pk: template.render(Context({"ticket": ticket, "fields": list_fields(user=who)}))
            for who in (agent_a, member_a)
        }
    assert shown[agent_a.pk] == "Offices=Berlin, Lyon;Internal cost=7;"
    assert shown[member_a.pk] == "Offices=Berlin, Lyon;"


def test_a_saved_view_shows_custom_fields_as_columns_and_members_never_staff_only_ones(
    system_a, member_a, agent_a, make_field, make_ticket
):
    make_field("Offices", Kind.MULTI, choices=["Berlin", "Lyon"])
    make_field("Internal cost", Kind.NUMBER, staff_only=True)
    make_ticket(agent_a, subject="Desk move", custom={"offices": ["Lyon"], "internal_cost": 7})
    agent = client_for(system_a, agent_a)

    saved = agent.post(
        "/tickets/views/new/",
        {"name": "Costs", "query": "", "columns": ["number", "cf_offices", "cf_internal_cost"]},
    )
    with in_schema(system_a):
        view = SavedView.objects.get(name="Costs")
    page = agent.get(f"/tickets/?view={view.pk}", follow=True).content.decode()

    assert saved.status_code == 302 and view.columns == ["number", "cf_offices", "cf_internal_cost"]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert headers == ["#", "Offices", "Internal cost"]
    assert "<td>Lyon</td>" in page and "<td>7</td>" in page
    chooser = agent.get("/tickets/").content.decode()
    assert 'value="cf_internal_cost"' in chooser  # staff may choose every field
    member_list = client_for(system_a, member_a).get("/tickets/").content.decode()
    assert "Internal cost" not in member_list and ">7<" not in member_list
