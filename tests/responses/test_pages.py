"""The canned responses and macros pages: who sees, changes and deletes what."""

import pytest

from accounts.models import AuditEvent
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.responses.models import AssignTo, CannedResponse, Macro


@pytest.mark.parametrize("rows", [1, 6])
def test_an_agent_lists_shared_and_his_own_never_anothers(
    system_a,
    agent_a,
    other_agent_a,
    make_response,
    agent_client,
    rows,
    django_assert_max_num_queries,
):
    for n in range(rows):
        make_response(f"Shared {n}")
        make_response(f"Mine {n}", owner=agent_a)
        make_response(f"Olli's {n}", owner=other_agent_a)
    agent_client.get("/responses/")  # per-process caches (terms, notices) filled

    # The session, the person, his terms, the rows, the session's idle time: as many with
    # one row as with many.
    with django_assert_max_num_queries(7):
        page = agent_client.get("/responses/").content.decode()
        assert page.index(">Shared</h2>") < page.index("Shared 0") < page.index(">Yours</h2>")
        assert page.index(">Yours</h2>") < page.index("Mine 0")
        assert "Olli" not in page
        assert page.count(">Edit</a>") == rows  # his own only: shared ones are the admins'
        assert "New shared response" not in page
        assert 'aria-label="Settings"' not in page  # an agent's page stands alone


def test_another_agents_response_is_404_and_a_shared_one_is_read_only_for_agents(
    system_a, system_b, user_b, other_agent_a, make_response, agent_client
):
    theirs = make_response("Olli's", owner=other_agent_a)
    shared = make_response("Shared")

    for path in (f"/responses/{theirs.pk}/", f"/responses/{theirs.pk}/delete/"):
        assert agent_client.get(path).status_code == 404
        assert agent_client.post(path, {"name": "Mine now", "body": "x"}).status_code == 404
    assert (
        agent_client.post(f"/responses/{shared.pk}/", {"name": "X", "body": "x"}).status_code == 403
    )
    assert agent_client.post(f"/responses/{shared.pk}/delete/").status_code == 403
    crossed = client_for(system_b, user_b).get(
        f"/responses/{shared.pk}/", HTTP_HOST=host_of(system_a)
    )
    assert crossed.status_code == 302 and crossed["Location"].startswith("/accounts/login/")
    with in_schema(system_a):
        assert set(CannedResponse.objects.values_list("name", flat=True)) == {"Olli's", "Shared"}


def test_an_admin_keeps_shared_responses_an_agent_only_his_own(
    system_a, admin_a, agent_a, admin_client, agent_client
):
    admin_client.post(
        "/responses/new/", {"shared": "1", "name": "Welcome", "body": "Hi {{ requester.name }}"}
    )
    # The agent's form has no "shared" choice: what he posts is his own.
    agent_client.post("/responses/new/", {"shared": "1", "name": "Mine", "body": "Hello"})
    with in_schema(system_a):
        welcome = CannedResponse.objects.get(name="Welcome")
        assert welcome.owner_id is None
        assert CannedResponse.objects.get(name="Mine").owner_id == agent_a.pk

    edited = admin_client.post(f"/responses/{welcome.pk}/", {"name": "Welcome!", "body": "Hi"})
    deleted = admin_client.post(f"/responses/{welcome.pk}/delete/")

    assert (edited.status_code, deleted.status_code) == (302, 302)
    with in_schema(system_a):
        assert not CannedResponse.objects.filter(owner__isnull=True).exists()
        # Shared ones are in the audit log; an agent's own are his business.
        audited = AuditEvent.objects.filter(action=AuditEvent.Action.SHARED_TOOLS_CHANGED)
        assert list(audited.order_by("id").values_list("target_label", "detail__change")) == [
            ("canned response “Welcome”", "added"),
            ("canned response “Welcome!”", "changed"),
            ("canned response “Welcome!”", "deleted"),
        ]
    assert b"Canned responses</a>" in admin_client.get("/responses/").content  # the menu


def test_a_refused_text_shows_why_and_keeps_what_was_typed(agent_client):
    typed = "Dear {{ requester.title }},\nthanks & see you"

    response = agent_client.post("/responses/new/", {"name": "Formal", "body": typed})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Unknown placeholder: {{ requester.title }}. The placeholders are:" in page
    assert "Dear {{ requester.title }},\nthanks &amp; see you</textarea>" in page
    assert 'value="Formal"' in page


def test_an_agent_makes_a_macro_and_the_list_says_what_it_does(
    system_a, agent_a, other_agent_a, agent_client, django_assert_max_num_queries
):
    response = agent_client.post(
        "/macros/new/",
        {
            "name": "Hand to Olli",
            "status": "open",
            "priority": "",
            "assign_to": AssignTo.PERSON,
            "assignee": other_agent_a.pk,
            "tags": "handover",
            "body": "Olli takes it from here, {{ requester.first_name }}.",
        },
    )
    assert response.status_code == 302
    with in_schema(system_a):
        macro = Macro.objects.get()
    assert (macro.owner_id, macro.assignee_id, macro.internal) == (
        agent_a.pk,
        other_agent_a.pk,
        False,
    )

    agent_client.get("/macros/")
    with django_assert_max_num_queries(7):
        page = agent_client.get("/macros/").content.decode()
        assert "Status: Open · Assign to Olli Other · Add tags: handover · Post a reply" in page

    nothing = agent_client.post("/macros/new/", {"name": "Empty", "assign_to": ""})
    assert nothing.status_code == 400
    assert "A macro needs something to do" in nothing.content.decode()
