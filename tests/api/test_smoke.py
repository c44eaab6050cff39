from tests.api.conftest import bearer_client


def test_a_token_lists_the_tickets_its_person_sees(system_a, agent_a, make_ticket, api_for):
    make_ticket(agent_a, subject="Printer jammed")

    response = api_for(agent_a).get("/api/v1/tickets")

    assert response.status_code == 200, response.content
    assert [t["subject"] for t in response.json()["items"]] == ["Printer jammed"]


def test_no_token_is_a_401_problem(system_a):
    response = bearer_client(system_a, None).get("/api/v1/tickets")
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
