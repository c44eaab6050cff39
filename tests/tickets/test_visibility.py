"""Members see their own tickets and those they follow; staff see everything."""

from tests.support.tenancy import client_for, in_schema
from tickets.services import tickets as ticket_services


def test_a_member_sees_only_own_and_followed_tickets(
    system_a, make_ticket, member_a, other_member_a, member_client
):
    own = make_ticket(member_a, subject="Mine")
    theirs = make_ticket(other_member_a, subject="Theirs")
    followed = make_ticket(other_member_a, subject="Followed")
    with in_schema(system_a):
        ticket_services.ticket_follow(actor=member_a, ticket=followed, follow=True)

    listed = {row.ticket.number for row in member_client.get("/tickets/").context["page"].rows}

    assert listed == {own.number, followed.number}
    assert member_client.get(f"/tickets/{theirs.number}/").status_code == 404
    assert member_client.get(f"/tickets/{followed.number}/").status_code == 200
    assert member_client.get("/tickets/", {"q": "Theirs"}).context["page"].total == 0


def test_another_members_ticket_cannot_be_changed_by_guessing_its_number(
    system_a, make_ticket, other_member_a, member_client
):
    theirs = make_ticket(other_member_a)
    for path in ("close/", "reopen/", "follow/", ""):
        response = member_client.post(
            f"/tickets/{theirs.number}/{path}", {"body": "hi", "follow": "1"}
        )
        assert response.status_code == 404
    with in_schema(system_a):
        assert not theirs.replies.exists() and not theirs.followers.exists()


def test_members_cannot_change_fields_merge_or_bulk(system_a, make_ticket, member_a, member_client):
    ticket = make_ticket(member_a)
    assert (
        member_client.post(f"/tickets/{ticket.number}/fields/", {"status": "closed"}).status_code
        == 403
    )
    assert member_client.post(f"/tickets/{ticket.number}/merge/", {"target": 1}).status_code == 403
    assert (
        member_client.post(
            "/tickets/bulk/", {"ticket": ticket.number, "action": "close"}
        ).status_code
        == 403
    )


def test_agents_see_every_ticket(system_a, make_ticket, member_a, other_member_a, agent_a):
    make_ticket(member_a)
    make_ticket(other_member_a)
    assert client_for(system_a, agent_a).get("/tickets/").context["page"].total == 2
