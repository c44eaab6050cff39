"""The "Ticket fields" settings page: admins add, change, reorder, archive and restore."""

from __future__ import annotations

import pytest

from tests.support.tenancy import client_for, in_schema
from tickets.fields.models import TicketField

URL = "/settings/fields/"


def _fields(system):
    with in_schema(system):
        return list(TicketField.objects.order_by("position", "id"))


def test_an_admin_adds_a_dropdown_field(system_a, admin_a):
    client = client_for(system_a, admin_a)
    response = client.post(
        URL,
        {
            "label": "Product",
            "kind": "dropdown",
            "choices": "Laptop\n Printer \n\nLaptop\n",
            "visibility": "staff",
            "required": "on",
        },
    )

    assert response.status_code == 302
    [field] = _fields(system_a)
    assert (field.label, field.key, field.kind) == ("Product", "product", "dropdown")
    assert field.choices == ["Laptop", "Printer"]
    assert field.required and field.staff_only and field.is_active
    page = client.get(URL).content.decode()
    assert "Product" in page and "cf_product" in page and "staff only" in page


@pytest.mark.parametrize(
    "data,error",
    [
        ({"label": "", "kind": "text"}, "This field is required."),
        ({"label": "Product", "kind": "dropdown", "choices": " \n "}, "at least one choice"),
        ({"label": "Product", "kind": "dropdown", "choices": "x" * 101}, "at most 100"),
    ],
)
def test_a_refused_field_says_why_and_keeps_what_was_typed(system_a, owner_client, data, error):
    response = owner_client.post(URL, {"visibility": "everyone", **data})

    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    if data["label"]:
        assert f'value="{data["label"]}"' in page
    assert _fields(system_a) == []


def test_a_label_is_taken_once_even_by_an_archived_field(system_a, owner_client, make_field):
    old = make_field("Product")
    owner_client.post(f"{URL}{old.pk}/archive/", {"archived": "1"})

    response = owner_client.post(
        URL, {"label": "product", "kind": "text", "visibility": "everyone"}
    )

    assert response.status_code == 400
    assert "exists already (restore it if archived)" in response.content.decode()


def test_editing_changes_label_and_choices_but_never_the_key(
    system_a, owner_client, make_field, make_ticket, agent_a
):
    field = make_field("Product", "dropdown", choices=["Laptop", "Printer"])
    ticket = make_ticket(agent_a, custom={"product": "Printer"})
    page = owner_client.get(f"{URL}{field.pk}/").content.decode()
    assert "Laptop\nPrinter</textarea>" in page

    response = owner_client.post(
        f"{URL}{field.pk}/",
        {"label": "Device", "choices": "Laptop\nPhone", "visibility": "everyone"},
    )

    assert response.status_code == 302
    [field] = _fields(system_a)
    assert (field.label, field.key, field.choices) == ("Device", "product", ["Laptop", "Phone"])
    # The choice taken away stays on the ticket that has it, readable.
    detail = client_for(system_a, agent_a).get(f"/tickets/{ticket.number}/").content.decode()
    assert "Printer (no longer offered)" in detail


def test_a_bad_edit_keeps_what_was_typed(system_a, owner_client, make_field):
    field = make_field("Product", "dropdown", choices=["Laptop"])
    response = owner_client.post(
        f"{URL}{field.pk}/", {"label": "Device", "choices": "", "visibility": "everyone"}
    )
    assert response.status_code == 400
    assert 'value="Device"' in response.content.decode()
    assert _fields(system_a)[0].label == "Product"


def test_fields_move_up_and_down_and_archived_ones_restore_last(system_a, owner_client, make_field):
    a, _b, c = make_field("A"), make_field("B"), make_field("C")

    owner_client.post(f"{URL}{c.pk}/move/", {"direction": "up"})
    assert [f.label for f in _fields(system_a)] == ["A", "C", "B"]
    owner_client.post(f"{URL}{a.pk}/move/", {"direction": "down"})
    assert [f.label for f in _fields(system_a)] == ["C", "A", "B"]
    owner_client.post(f"{URL}{c.pk}/archive/", {"archived": "1"})
    owner_client.post(f"{URL}{c.pk}/archive/", {"archived": "0"})
    assert [(f.label, f.is_active) for f in _fields(system_a)] == [
        ("A", True),
        ("B", True),
        ("C", True),
    ]


def test_the_page_answers_in_a_fixed_number_of_queries(
    system_a, owner_client, make_field, django_assert_max_num_queries
):
    make_field("Only one")
    owner_client.get(URL)
    with django_assert_max_num_queries(12) as one:
        response = owner_client.get(URL)
        assert response.status_code == 200 and "Only one" in response.content.decode()
    for n in range(8):
        make_field(f"Field {n}", "multi", choices=["a", "b"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = owner_client.get(URL)
        assert "Field 7" in response.content.decode()
    field = _fields(system_a)[0]
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = owner_client.get(f"{URL}{field.pk}/")
        assert "Only one" in response.content.decode()


@pytest.mark.parametrize("who", ["agent_a", "member_a"])
def test_agents_and_members_may_not_manage_fields(system_a, make_field, who, request):
    field = make_field("Product")
    client = client_for(system_a, request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}{field.pk}/archive/", {"archived": "1"}).status_code == 403
    assert _fields(system_a)[0].is_active


def test_system_b_users_get_nothing_of_system_as_fields(system_a, system_b, user_b, make_field):
    field = make_field("Product")
    intruder = client_for(system_b, user_b)
    host = {"HTTP_HOST": client_for(system_a).defaults["HTTP_HOST"]}
    for path in (URL, f"{URL}{field.pk}/"):
        response = intruder.get(path, **host)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = intruder.post(f"{URL}{field.pk}/archive/", {"archived": "1"}, **host)
    assert response.status_code == 302
    # In his own System the id names nothing.
    assert client_for(system_b, user_b).get(f"{URL}{field.pk}/").status_code == 404
    assert _fields(system_a)[0].is_active


def test_adding_changing_and_archiving_a_field_is_in_the_audit_log(system_a, admin_a):
    from accounts.models import AuditEvent

    client = client_for(system_a, admin_a)
    client.post(URL, {"label": "Order number", "kind": "text", "visibility": "everyone"})
    (field,) = _fields(system_a)
    client.post(f"{URL}{field.pk}/archive/", {"archived": "1"})

    with in_schema(system_a):
        logged = list(
            AuditEvent.objects.filter(action=AuditEvent.Action.FIELDS_CHANGED)
            .order_by("id")
            .values_list("actor_id", "target_label", "detail")
        )
    assert [(actor, target) for actor, target, _ in logged][:1] == [
        (admin_a.pk, "field “Order number”")
    ]
    assert [detail["change"] for _, _, detail in logged] == ["added", "archived"]
    assert logged[0][2]["key"] == "order_number"
