"""Take it: the ticket is the viewer's, through the sidebar's own service and history."""

from tests.support.tenancy import client_for, in_schema
from tickets.models import Ticket, TicketEvent
from tickets.services.tickets import ticket_update


def test_an_agent_takes_an_unassigned_ticket_with_history(
    system_a, make_ticket, agent_a, member_a, agent_client
):
    ticket = make_ticket(member_a)
    url = f"/tickets/{ticket.number}/"
    page = agent_client.get(url).content.decode()
    assert 'id="take-it"' in page and 'data-shortcut="take"' in page
    response = agent_client.post(f"{url}take/", {"assignee": "", "next": url}, follow=True)
    assert f"#{ticket.number} is yours now." in response.content.decode()
    assert 'id="take-it"' not in response.content.decode()  # his already
    with in_schema(system_a):
        assert Ticket.objects.get(pk=ticket.pk).assignee == agent_a
        event = TicketEvent.objects.get(ticket=ticket, field="assignee")
        assert (event.actor, event.new_value) == (agent_a, "Arno Agent")


def test_taking_a_ticket_someone_took_meanwhile_leaves_it_theirs(
    system_a, make_ticket, agent_a, omar_a, member_a, agent_client
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        ticket_update(actor=omar_a, ticket=ticket, changes={"assignee": omar_a})
    response = agent_client.post(f"/tickets/{ticket.number}/take/", {"assignee": ""}, follow=True)
    assert "Omar Other has #" in response.content.decode()
    with in_schema(system_a):
        assert Ticket.objects.get(pk=ticket.pk).assignee == omar_a
    # From a page that showed Omar holding it, taking it over is what was asked.
    agent_client.post(f"/tickets/{ticket.number}/take/", {"assignee": str(omar_a.pk)})
    with in_schema(system_a):
        assert Ticket.objects.get(pk=ticket.pk).assignee == agent_a


def test_members_and_strangers_take_nothing(system_a, system_b, make_ticket, member_a, user_b):
    ticket = make_ticket(member_a)
    member = client_for(system_a, member_a)
    assert 'id="take-it"' not in member.get(f"/tickets/{ticket.number}/").content.decode()
    assert member.post(f"/tickets/{ticket.number}/take/").status_code == 403
    stranger = client_for(system_b, user_b)
    stranger.defaults["HTTP_HOST"] = client_for(system_a).defaults["HTTP_HOST"]
    response = stranger.post(f"/tickets/{ticket.number}/take/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    with in_schema(system_a):
        assert Ticket.objects.get(pk=ticket.pk).assignee is None
