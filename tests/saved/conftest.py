import pytest

from tests.support.tenancy import client_for, in_schema
from tickets.models import Status
from tickets.services import tickets as ticket_services


@pytest.fixture
def agent_client(system_a, agent_a):
    return client_for(system_a, agent_a)


@pytest.fixture
def desk(system_a, make_ticket, agent_a, admin_a, member_a):
    """Six tickets: two mine (one urgent), one the admin's, two nobody's, one solved mine."""
    mine = make_ticket(agent_a, subject="Mine open", requester=member_a, assignee=agent_a)
    urgent = make_ticket(
        agent_a, subject="Mine urgent", requester=member_a, assignee=agent_a, priority="urgent"
    )
    theirs = make_ticket(agent_a, subject="Admin's", requester=member_a, assignee=admin_a)
    nobody = make_ticket(agent_a, subject="Nobody's new", requester=member_a, tags=["vpn"])
    pending = make_ticket(agent_a, subject="Nobody's pending", requester=member_a)
    solved = make_ticket(agent_a, subject="Mine solved", requester=member_a, assignee=agent_a)
    with in_schema(system_a):
        ticket_services.ticket_update(
            actor=agent_a, ticket=pending, changes={"status": Status.PENDING}
        )
        ticket_services.ticket_update(
            actor=agent_a, ticket=solved, changes={"status": Status.SOLVED}
        )
    return {
        "mine": mine,
        "urgent": urgent,
        "theirs": theirs,
        "nobody": nobody,
        "pending": pending,
        "solved": solved,
    }
