"""Raising tickets: numbers, who may set what, history, mail."""

from django.core import mail

from accounts.models import Role
from tests.factories import UserFactory
from tests.support.tenancy import in_schema
from tickets.models import NotificationPreference, Priority, Status, Ticket, TicketEvent
from tickets.services.tickets import ticket_create


def test_numbers_are_sequential_per_system(make_ticket, member_a, system_b, user_b):
    # Sequences don't roll back, so another test's tickets may have moved either System's
    # counter: what holds is that tickets of one System never move the other's.
    with in_schema(system_b):
        before = ticket_create(actor=user_b, subject="B's first", description="x")
    first = make_ticket(member_a)
    second = make_ticket(member_a)
    make_ticket(member_a)
    with in_schema(system_b):
        after = ticket_create(actor=user_b, subject="B's second", description="x")

    assert second.number == first.number + 1
    assert after.number == before.number + 1  # each System counts on its own


def test_a_member_raises_for_himself_at_normal_priority(make_ticket, member_a, agent_a, system_a):
    ticket = make_ticket(member_a, priority=Priority.URGENT, assignee=agent_a, tags=["vip"])

    assert ticket.requester == member_a
    assert (ticket.priority, ticket.assignee, ticket.status) == (Priority.NORMAL, None, Status.NEW)
    with in_schema(system_a):
        assert not ticket.tags.exists()


def test_staff_set_priority_assignee_and_tags(make_ticket, agent_a, member_a, system_a):
    ticket = make_ticket(
        agent_a,
        requester=member_a,
        priority=Priority.HIGH,
        assignee=agent_a,
        tags=["VPN", " vpn", "Laptop"],
    )

    assert (ticket.priority, ticket.priority_rank, ticket.status) == (Priority.HIGH, 2, Status.OPEN)
    with in_schema(system_a):
        assert sorted(ticket.tags.values_list("name", flat=True)) == ["laptop", "vpn"]
        assert TicketEvent.objects.get(ticket=ticket).kind == TicketEvent.Kind.CREATED


def test_a_new_ticket_mails_every_agent_but_not_its_author(
    make_ticket, member_a, agent_a, owner_a, system_a, django_capture_on_commit_callbacks
):
    with in_schema(system_a):
        quiet = UserFactory(role=Role.AGENT, email="quiet@alpha.example")
        NotificationPreference.objects.create(user=quiet, new_tickets=False)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(member_a)

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([agent_a.email, owner_a.email])
    message = mail.outbox[0]
    assert message.subject == f"[#{ticket.number}] New ticket: Printer on floor 3 is jammed"
    assert f"http://alpha.localhost/tickets/{ticket.number}/" in message.body


def test_an_assigned_new_ticket_mails_only_the_assignee(
    make_ticket, agent_a, owner_a, member_a, system_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(owner_a, requester=member_a, assignee=agent_a)
    assert [message.to for message in mail.outbox] == [[agent_a.email]]


def test_the_form_raises_a_ticket_and_keeps_input_on_errors(member_client, system_a):
    bad = member_client.post("/tickets/new/", {"subject": "", "description": "Kept text"})
    assert bad.status_code == 400
    assert b"Kept text" in bad.content

    good = member_client.post(
        "/tickets/new/", {"subject": "Need a monitor", "description": "A second one"}
    )

    with in_schema(system_a):
        ticket = Ticket.objects.get(subject="Need a monitor")
    assert good["Location"] == f"/tickets/{ticket.number}/"


def test_only_active_categories_can_be_chosen(member_client, system_a):
    from tickets.models import Category

    with in_schema(system_a):
        old = Category.objects.create(name="Old", is_active=False)
    response = member_client.post(
        "/tickets/new/", {"subject": "x", "description": "y", "category": old.pk}
    )
    assert response.status_code == 400
