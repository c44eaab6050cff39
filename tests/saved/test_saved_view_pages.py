"""Saving, opening, changing and deleting views; who may see and change which."""

import re

import pytest

from accounts.models import AuditEvent
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.models import SavedView
from tickets.saved.columns import Column, column_register, columns_for


def _header(response) -> list[str]:
    head = response.content.decode().split("<thead>")[1].split("</thead>")[0]
    return re.findall(r'<th scope="col">([^<]*)</th>', head)


@pytest.fixture
def shared_view(system_a):
    with in_schema(system_a):
        return SavedView.objects.create(name="Urgent ones", query="priority=urgent")


@pytest.fixture
def admins_own(system_a, admin_a):
    with in_schema(system_a):
        return SavedView.objects.create(name="Ada's", owner=admin_a, query="tag=vpn")


def test_an_agent_saves_the_lists_filters_as_his_view(system_a, agent_a, agent_client, desk):
    response = agent_client.post(
        "/tickets/views/new/",
        {
            "name": "  My urgent  ",
            # The page's query as it was: page and view dropped, keys sorted, unknown ones out.
            "query": "sort=priority&priority=urgent&page=3&view=mine&bogus=1&tag=",
            "columns": ["subject", "number", "priority"],
        },
    )
    with in_schema(system_a):
        view = SavedView.objects.get()
    assert (view.name, view.owner_id, view.query) == (
        "My urgent",
        agent_a.pk,
        "priority=urgent&sort=priority",
    )
    assert view.columns == ["subject", "number", "priority"]  # in the order chosen
    assert response["Location"] == f"/tickets/?priority=urgent&sort=priority&view={view.pk}"
    opened = agent_client.get(response["Location"])
    assert _header(opened) == ["Subject", "#", "Priority"]
    assert [row.ticket.subject for row in opened.context["page"].rows] == ["Mine urgent"]
    assert b"Update this view" not in opened.content  # the filters are the view's


def test_view_alone_opens_its_filters_and_the_form_stays_editable(
    system_a, agent_client, shared_view, desk
):
    response = agent_client.get(f"/tickets/?view={shared_view.pk}")
    assert response["Location"] == f"/tickets/?priority=urgent&view={shared_view.pk}"
    changed = agent_client.get(f"/tickets/?priority=normal&view={shared_view.pk}")
    html = changed.content.decode()
    assert f'<input type="hidden" name="view" value="{shared_view.pk}">' in html
    assert '<option value="normal" selected>' in html
    assert "Update this view" not in html  # shared: an agent may not change it
    assert changed.context["views"].changed
    # A key the list no longer reads (a feature since removed) doesn't send it round in circles.
    with in_schema(system_a):
        SavedView.objects.filter(pk=shared_view.pk).update(query="gone=1")
    response = agent_client.get(f"/tickets/?view={shared_view.pk}")
    assert agent_client.get(response["Location"]).status_code == 200


def test_update_this_view_keeps_the_filters_now(system_a, admin_a, shared_view, desk):
    client = client_for(system_a, admin_a)
    page = client.get(f"/tickets/?priority=normal&view={shared_view.pk}")
    assert b"Update this view" in page.content
    client.post(f"/tickets/views/{shared_view.pk}/update/", {"query": "priority=normal&page=2"})
    with in_schema(system_a):
        shared_view.refresh_from_db()
    assert shared_view.query == "priority=normal"


def test_columns_are_shown_as_chosen_and_the_default_stays_todays(
    system_a, agent_a, member_a, agent_client, desk
):
    plain = agent_client.get("/tickets/")
    assert _header(plain) == [
        "#",
        "Subject",
        "Status",
        "Priority",
        "Requester",
        "Assignee",
        "Updated",
        "SLA",  # staff see time left unless a view chooses its columns
    ]
    member = client_for(system_a, member_a).get("/tickets/")
    assert "SLA" not in _header(member)
    with in_schema(system_a):
        view = SavedView.objects.create(
            name="Due", owner=agent_a, query="status=open", columns=["number", "due", "category"]
        )
    response = agent_client.get(f"/tickets/?status=open&view={view.pk}")
    assert _header(response) == ["#", "Due", "Category"]
    assert b"Mine open" not in response.content  # no subject column


def test_a_feature_registers_a_column_with_one_call(system_a, agent_a, agent_client, desk):
    column_register(Column("shout", "Shout", lambda row, q: row.ticket.subject.upper()))
    try:
        with in_schema(system_a):
            view = SavedView.objects.create(
                name="Loud", owner=agent_a, query="status=open", columns=["number", "shout"]
            )
        response = agent_client.get(f"/tickets/?status=open&view={view.pk}")
        assert _header(response) == ["#", "Shout"] and b"<td>MINE OPEN</td>" in response.content
    finally:
        from tickets.saved import columns

        columns._REGISTRY.pop("shout")
    assert [c.key for c in columns_for(["shout"])][:2] == ["number", "subject"]


def test_personal_views_are_nobody_elses(system_a, agent_a, agent_client, admins_own, desk):
    assert agent_client.get(f"/tickets/?view={admins_own.pk}").status_code == 404
    assert agent_client.get(f"/tickets/views/{admins_own.pk}/").status_code == 404
    for action in ("update", "delete", "move"):
        response = agent_client.post(f"/tickets/views/{admins_own.pk}/{action}/", {"to": "up"})
        assert response.status_code == 404, action
    assert b"Ada&#x27;s" not in agent_client.get("/tickets/").content
    with in_schema(system_a):
        assert SavedView.objects.filter(pk=admins_own.pk).exists()


def test_shared_views_are_changed_only_by_admins(system_a, admin_a, agent_client, shared_view):
    assert agent_client.get(f"/tickets/views/{shared_view.pk}/").status_code == 403
    assert agent_client.post(f"/tickets/views/{shared_view.pk}/delete/").status_code == 403
    shared = agent_client.post(
        "/tickets/views/new/", {"name": "For all", "query": "", "shared": "on"}
    )
    assert shared.status_code == 302
    with in_schema(system_a):
        assert SavedView.objects.get(name="For all").owner_id is not None  # no checkbox for him
    admin = client_for(system_a, admin_a)
    admin.post("/tickets/views/new/", {"name": "Team", "query": "status=new", "shared": "on"})
    admin.post(
        f"/tickets/views/{shared_view.pk}/", {"name": "Really urgent", "columns": ["number"]}
    )
    with in_schema(system_a):
        assert SavedView.objects.get(name="Team").owner_id is None
        assert SavedView.objects.get(pk=shared_view.pk).columns == ["number"]
    admin.post(f"/tickets/views/{shared_view.pk}/delete/")
    with in_schema(system_a):
        assert not SavedView.objects.filter(pk=shared_view.pk).exists()
        logged = list(
            AuditEvent.objects.filter(action=AuditEvent.Action.SHARED_TOOLS_CHANGED)
            .order_by("id")
            .values_list("target_label", "detail__change")
        )
    # Shared views changed are audited; the agent's own ("For all") is not.
    assert logged == [
        ("view “Team”", "added"),
        ("view “Really urgent”", "renamed or columns changed"),
        ("view “Really urgent”", "deleted"),
    ]


def test_a_bad_name_rerenders_the_form_with_what_was_typed(agent_client):
    response = agent_client.post(
        "/tickets/views/new/",
        {"name": "   ", "query": "priority=high", "columns": ["number", "status"]},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "This field is required." in html
    assert 'value="priority=high"' in html
    assert re.search(r'value="status"[^>]*checked', html)
    assert not re.search(r'value="subject"[^>]*checked', html)


def test_views_move_up_and_down_and_are_listed(system_a, agent_a, agent_client):
    with in_schema(system_a):
        first, _second, third = (
            SavedView.objects.create(name=name, owner=agent_a, position=n)
            for n, name in enumerate(["One", "Two", "Three"])
        )
    agent_client.post(f"/tickets/views/{third.pk}/move/", {"to": "up"})
    agent_client.post(f"/tickets/views/{first.pk}/move/", {"to": "down"})
    page = agent_client.get("/tickets/views/")
    names = re.findall(r'class="me-auto">([^<]+)<', page.content.decode())
    assert names == ["Three", "One", "Two"]
    sidebar = agent_client.get("/tickets/").context["views"]
    assert [link.name for link in sidebar.personal] == ["Three", "One", "Two"]


def test_members_and_system_bs_user_get_nothing(system_a, system_b, member_a, user_b, shared_view):
    member = client_for(system_a, member_a)
    assert member.get(f"/tickets/?view={shared_view.pk}").status_code == 404
    assert member.get("/tickets/views/").status_code == 403
    assert member.post("/tickets/views/new/", {"name": "x"}).status_code == 403
    intruder = client_for(system_b, user_b)
    for url in (f"/tickets/?view={shared_view.pk}", f"/tickets/views/{shared_view.pk}/"):
        response = intruder.get(url, HTTP_HOST=host_of(system_a))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # At his own System, A's view id is nothing.
    assert client_for(system_b, user_b).get(f"/tickets/?view={shared_view.pk}").status_code == 404


@pytest.mark.parametrize("views", [1, 6])
def test_the_views_pages_cost_the_same_for_one_view_or_many(
    system_a, agent_a, agent_client, views, django_assert_max_num_queries
):
    with in_schema(system_a):
        made = [
            SavedView.objects.create(name=f"View {n}", owner=None if n % 2 else agent_a, position=n)
            for n in range(views)
        ]
    agent_client.get("/tickets/views/")  # the session and the terms, read once
    with django_assert_max_num_queries(6):
        listed = agent_client.get("/tickets/views/").content.decode()
        assert all(f">View {n}<" in listed for n in range(views))
    # The forms: + the custom fields a view may choose as columns.
    with django_assert_max_num_queries(7):
        edit = agent_client.get(f"/tickets/views/{made[0].pk}/")
        assert edit.status_code == 200 and 'value="View 0"' in edit.content.decode()
    with django_assert_max_num_queries(7):
        new = agent_client.get("/tickets/views/new/?priority=high")
        assert new.status_code == 200 and 'value="priority=high"' in new.content.decode()
