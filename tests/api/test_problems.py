"""Every error of the API is an RFC 9457 problem (application/problem+json)."""

from __future__ import annotations

import pytest

from accounts.models import User
from tests.api.test_api_auth import _problem
from tests.support.tenancy import in_schema


def test_an_unknown_path_is_a_404_problem(system_a, agent_a, api_for):
    _problem(api_for(agent_a).get("/api/v1/nothing-here"), 404, "not-found")


def test_a_ticket_one_may_not_see_is_a_404_problem(
    system_a, agent_a, member_a, make_ticket, api_for
):
    ticket = make_ticket(agent_a)

    _problem(api_for(member_a).get(f"/api/v1/tickets/{ticket.number}"), 404, "not-found")


def test_a_wrong_method_is_a_405_problem_with_allow(system_a, agent_a, api_for):
    response = api_for(agent_a).delete("/api/v1/tickets")

    _problem(response, 405)
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_ninjas_own_validation_errors_are_422_with_field_errors(system_a, agent_a, api_for):
    response = api_for(agent_a).post(
        "/api/v1/tickets", {"priority": "sky-high"}, content_type="application/json"
    )

    body = _problem(response, 422, "invalid-request")
    fields = {error["field"] for error in body["errors"]}
    assert {"subject", "priority"} <= fields
    assert all(error["message"] for error in body["errors"])


def test_a_services_validation_error_names_its_field(system_a, agent_a, api_for):
    response = api_for(agent_a).post(
        "/api/v1/tickets",
        {"subject": "Archived", "description": "x", "category": 999999},
        content_type="application/json",
    )

    body = _problem(response, 422, "invalid-request")
    assert body["errors"] == [{"field": "category", "message": "No such category."}]


def test_a_body_that_is_not_json_is_a_400_problem(system_a, agent_a, api_for):
    response = api_for(agent_a).post(
        "/api/v1/tickets", "{not json", content_type="application/json"
    )

    assert response.status_code in {400, 422}
    assert response["Content-Type"] == "application/problem+json"


def test_a_member_staff_action_is_a_403_problem(system_a, agent_a, member_a, make_ticket, api_for):
    ticket = make_ticket(member_a)

    response = api_for(member_a).post(
        f"/api/v1/tickets/{ticket.number}/notes", {"body": "x"}, content_type="application/json"
    )

    _problem(response, 403, "forbidden")


def test_a_crash_is_a_500_problem_without_the_traceback(system_a, agent_a, api_for, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("tickets.api.routes.ticket_api_page", boom)

    response = api_for(agent_a).get("/api/v1/tickets")

    _problem(response, 500)
    assert "secret internals" not in response.content.decode()


@pytest.mark.parametrize("cursor", ["garbage", "WzFd"])
def test_a_cursor_we_did_not_give_is_a_422_problem(system_a, agent_a, api_for, cursor):
    response = api_for(agent_a).get("/api/v1/tickets", {"cursor": cursor})

    body = _problem(response, 422, "invalid-cursor")
    assert body["errors"][0]["field"] == "cursor"


def test_problems_speak_the_tokens_persons_language(system_a, agent_a, api_for):
    with in_schema(system_a):
        User.objects.filter(pk=agent_a.pk).update(language="vi")

    response = api_for(agent_a).post(
        "/api/v1/tickets",
        {"subject": "x", "description": "y", "assignee": 999999},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 422
    assert response["Content-Language"] == "vi"
    assert response.json()["errors"][0]["message"] != "No such person."
