"""Bulk actions, merging, categories and email preferences."""

from django.core import mail

from tests.support.tenancy import client_for, in_schema
from tickets.models import Category, NotificationPreference, Reply, Status, Ticket, TicketEvent
from tickets.services import tickets as ticket_services


def test_bulk_assign_status_priority_tag_and_close(
    system_a, make_ticket, member_a, agent_a, agent_client
):
    tickets = [make_ticket(member_a, subject=f"T{n}") for n in range(3)]
    numbers = [t.number for t in tickets]
    post = lambda **data: agent_client.post("/tickets/bulk/", {"ticket": numbers[:2], **data})  # noqa: E731

    post(action="assign", value_assign=agent_a.pk)
    post(action="priority", value_priority="high")
    post(action="tag", value_tag="outage")
    post(action="status", value_status="pending")

    with in_schema(system_a):
        changed = Ticket.objects.filter(number__in=numbers[:2])
        assert {(t.assignee_id, t.priority, t.status) for t in changed} == {
            (agent_a.pk, "high", "pending")
        }
        assert all(list(t.tags.values_list("name", flat=True)) == ["outage"] for t in changed)
        untouched = Ticket.objects.get(number=numbers[2])
        assert (untouched.assignee_id, untouched.priority) == (None, "normal")
        assert TicketEvent.objects.filter(ticket__in=changed, field="priority").count() == 2

    post(action="close")
    with in_schema(system_a):
        assert set(
            Ticket.objects.filter(number__in=numbers[:2]).values_list("status", flat=True)
        ) == {"closed"}


def test_bulk_without_a_selection_says_so(agent_client):
    response = agent_client.post("/tickets/bulk/", {"action": "close"}, follow=True)
    assert b"Tick at least one ticket first" in response.content


def test_merging_moves_the_conversation_and_closes_the_source(
    system_a, make_ticket, member_a, other_member_a, agent_a, agent_client
):
    source = make_ticket(other_member_a, subject="Duplicate")
    target = make_ticket(member_a, subject="Original")
    with in_schema(system_a):
        ticket_services.ticket_reply(actor=other_member_a, ticket=source, body="More details")

    response = agent_client.post(f"/tickets/{source.number}/merge/", {"target": target.number})

    assert response["Location"] == f"/tickets/{target.number}/"
    with in_schema(system_a):
        source.refresh_from_db()
        target.refresh_from_db()
        assert (source.status, source.merged_into_id) == (Status.CLOSED, target.pk)
        assert Reply.objects.filter(ticket=target, body="More details").exists()
        assert other_member_a in target.followers.all()
    page = agent_client.get(f"/tickets/{source.number}/").content.decode()
    assert f'merged into <a href="/tickets/{target.number}/">#{target.number}</a>' in page


def test_merging_into_itself_or_an_unknown_ticket_is_refused(
    system_a, make_ticket, member_a, agent_client
):
    ticket = make_ticket(member_a)
    same = agent_client.post(
        f"/tickets/{ticket.number}/merge/", {"target": ticket.number}, follow=True
    )
    unknown = agent_client.post(f"/tickets/{ticket.number}/merge/", {"target": 9999}, follow=True)
    assert b"can&#x27;t be merged into itself" in same.content
    assert b"There is no ticket #9999" in unknown.content


def test_admins_manage_categories_agents_cannot(system_a, admin_client_a_tickets, agent_client):
    response = admin_client_a_tickets.post("/settings/categories/", {"name": "Hardware"})
    assert response.status_code == 302
    with in_schema(system_a):
        category = Category.objects.get()
    admin_client_a_tickets.post(
        f"/settings/categories/{category.pk}/", {"name": "Hardware", "is_active": "0"}
    )
    with in_schema(system_a):
        category.refresh_from_db()
    assert category.is_active is False
    duplicate = admin_client_a_tickets.post("/settings/categories/", {"name": "hardware"})
    assert duplicate.status_code == 400 and b"already exists" in duplicate.content
    assert agent_client.get("/settings/categories/").status_code == 403


def test_a_person_turns_off_reply_mail(
    system_a, make_ticket, member_a, agent_a, member_client, django_capture_on_commit_callbacks
):
    member_client.post("/account/notifications/", {"new_tickets": "on", "assignments": "on"})
    with in_schema(system_a):
        assert NotificationPreference.objects.get(user=member_a).replies is False
    ticket = make_ticket(member_a)
    mail.outbox.clear()
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="answer")
    assert mail.outbox == []


def test_ticket_detail_query_count_does_not_grow_with_replies(
    system_a, make_ticket, member_a, agent_a, django_assert_max_num_queries
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="first")
    client = client_for(system_a, agent_a)
    client.get(f"/tickets/{ticket.number}/")
    with django_assert_max_num_queries(20) as one:
        client.get(f"/tickets/{ticket.number}/")
    one_count = len(one.captured_queries)
    with in_schema(system_a):
        for n in range(49):
            ticket_services.ticket_reply(
                actor=agent_a, ticket=ticket, body=f"reply {n}", internal=n % 5 == 0
            )
    with django_assert_max_num_queries(one_count):
        response = client.get(f"/tickets/{ticket.number}/")
    assert response.content.decode().count('class="message message-') >= 50
