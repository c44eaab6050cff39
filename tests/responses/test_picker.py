"""The reply box: a canned response inserted without script, and the picker's JSON."""

import pytest

from tests.support.tenancy import client_for, host_of


@pytest.mark.parametrize("rows", [1, 5])
def test_the_picker_finds_by_name_and_fills_in_for_the_ticket(
    system_a,
    make_ticket,
    member_a,
    agent_a,
    other_agent_a,
    make_response,
    agent_client,
    rows,
    django_assert_max_num_queries,
):
    ticket = make_ticket(member_a)
    for n in range(rows):
        make_response(f"Refund {n}", body="Hi {{ requester.first_name }}, #{{ ticket.number }}")
        make_response(f"My refund {n}", body="{{ agent.name }}", owner=agent_a)
    make_response("Refund by Olli", owner=other_agent_a)
    make_response("Welcome")
    agent_client.get(f"/tickets/{ticket.number}/responses/")

    # + the ticket (with requester and contact) and the responses: no query per row.
    with django_assert_max_num_queries(8):
        response = agent_client.get(f"/tickets/{ticket.number}/responses/?q=REFUND")
        results = response.json()["results"]
    assert response["Content-Type"] == "application/json"
    assert [r["name"] for r in results][:1] == ["Refund 0"]
    assert {r["name"] for r in results} == {
        *(f"Refund {n}" for n in range(rows)),
        *(f"My refund {n}" for n in range(rows)),
    }
    assert results[0] == {
        "id": results[0]["id"],
        "name": "Refund 0",
        "shared": True,
        "text": f"Hi Mia, #{ticket.number}",
    }
    assert {r["text"] for r in results if not r["shared"]} == {"Arno Agent"}


def test_the_picker_is_for_staff_of_this_system_only(
    system_a, system_b, user_b, make_ticket, member_a, make_response
):
    ticket = make_ticket(member_a)
    make_response("Secret")
    path = f"/tickets/{ticket.number}/responses/?q="

    member = client_for(system_a, member_a).get(path)
    crossed = client_for(system_b, user_b).get(path, HTTP_HOST=host_of(system_a))

    assert member.status_code == 403
    assert crossed.status_code == 302 and crossed["Location"].startswith("/accounts/login/")
    assert b"Secret" not in member.content + crossed.content


def test_without_script_the_chosen_response_fills_the_reply_box(
    system_a, make_ticket, member_a, other_agent_a, make_response, make_macro, agent_client
):
    ticket = make_ticket(member_a, subject="Refund")
    chosen = make_response("Thanks", body="Thanks {{ requester.first_name }} <b>!</b>")
    theirs = make_response("Olli's", body="Private", owner=other_agent_a)
    make_macro(name="Close it", status="closed")

    page = agent_client.get(f"/tickets/{ticket.number}/?response={chosen.pk}").content.decode()
    other = agent_client.get(f"/tickets/{ticket.number}/?response={theirs.pk}").content.decode()

    assert ">Thanks Mia &lt;b&gt;!&lt;/b&gt;</textarea>" in page
    assert '<label for="response-choice">Insert a canned response</label>' in page
    assert f'<option value="{chosen.pk}">Thanks</option>' in page
    assert "Olli&#x27;s" not in page and "Olli's" not in page
    assert (
        '<button type="submit" class="btn btn-sm btn-outline-primary">Apply macro</button>' in page
    )
    assert 'src="/static/js/responses.js"' in page
    assert "Private" not in other
    assert 'id="reply-body" rows="6"' in other and "></textarea>" in other
