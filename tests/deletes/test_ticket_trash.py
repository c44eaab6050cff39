"""Tickets in the trash: hidden everywhere but the Trash page, restored or deleted for good,
every step audited; who may do it."""

from __future__ import annotations

from pathlib import Path

from django.core import mail

from accounts.models import AuditEvent
from tests.support.tenancy import client_for, in_schema
from tickets.models import Attachment, Reply, StatusCount, Ticket
from tickets.services import trash
from tickets.services.tickets import ticket_reply


def counts(system) -> dict[str, int]:
    with in_schema(system):
        return dict(StatusCount.objects.values_list("status", "n"))


def actions(system) -> list[str]:
    with in_schema(system):
        return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_a_trashed_ticket_vanishes_from_lists_search_counts_and_its_page(
    system_a, owner_a, admin_client, member_a, make_ticket
):
    kept = make_ticket(member_a, subject="Keyboard sticky")
    gone = make_ticket(member_a, subject="Monitor flickers")
    member = client_for(system_a, member_a)
    before = counts(system_a)

    response = admin_client.post(f"/tickets/{gone.number}/trash/", follow=True)

    assert response.status_code == 200
    assert f"Ticket #{gone.number} is in the trash" in response.content.decode()
    assert counts(system_a)["new"] == before["new"] - 1
    for client in (admin_client, member):
        listed = client.get("/tickets/").content.decode()
        assert "Keyboard sticky" in listed and "Monitor flickers" not in listed
        found = client.get("/tickets/?q=monitor").content.decode()
        assert "Monitor flickers" not in found
        assert client.get(f"/tickets/{gone.number}/").status_code == 404
        assert client.get(f"/tickets/{kept.number}/").status_code == 200
    assert "Monitor flickers" in admin_client.get("/trash/").content.decode()
    assert AuditEvent.Action.TICKET_TRASHED in actions(system_a)


def test_a_trashed_ticket_gets_no_mail_and_no_reply(system_a, admin_a, member_a, make_ticket):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        trash.ticket_trash(actor=admin_a, ticket=ticket, system=system_a)
    mail.outbox.clear()

    response = client_for(system_a, member_a).post(
        f"/tickets/{ticket.number}/", {"kind": "reply", "body": "Anyone?"}
    )

    assert response.status_code == 404
    assert mail.outbox == []
    with in_schema(system_a):
        assert not Reply.objects.filter(ticket=ticket).exists()


def test_restoring_brings_the_ticket_and_its_count_back(
    system_a, admin_a, admin_client, member_a, make_ticket
):
    ticket = make_ticket(member_a, subject="Printer")
    before = counts(system_a)
    with in_schema(system_a):
        trash.ticket_trash(actor=admin_a, ticket=ticket, system=system_a)

    response = admin_client.post(f"/trash/tickets/{ticket.number}/restore/", follow=True)

    assert f"Ticket #{ticket.number} is back." in response.content.decode()
    assert counts(system_a) == before
    assert client_for(system_a, member_a).get(f"/tickets/{ticket.number}/").status_code == 200
    assert AuditEvent.Action.TICKET_RESTORED in actions(system_a)


def test_deleting_for_good_removes_the_rows_and_the_files_on_disk(
    system_a, admin_a, admin_client, member_a, make_ticket
):
    ticket = make_ticket(member_a, files=[("plan.txt", b"secret plan")])
    with in_schema(system_a):
        ticket_reply(actor=admin_a, ticket=ticket, body="Seen", internal=True)
        stored = Path(Attachment.objects.get(ticket=ticket).file.path)
        trash.ticket_trash(actor=admin_a, ticket=ticket, system=system_a)
    before = counts(system_a)
    assert stored.exists()

    confirm = admin_client.get(f"/trash/tickets/{ticket.number}/delete/")
    assert "can't be undone" in confirm.content.decode()
    response = admin_client.post(f"/trash/tickets/{ticket.number}/delete/", follow=True)

    assert f"Ticket #{ticket.number} is deleted for good." in response.content.decode()
    with in_schema(system_a):
        assert not Ticket.objects.filter(pk=ticket.pk).exists()
        assert not Attachment.objects.filter(ticket_id=ticket.pk).exists()
    assert counts(system_a) == before  # it had already left the counts
    assert AuditEvent.Action.TICKET_PURGED in actions(system_a)


def test_deleting_for_good_unlinks_the_file_after_commit(
    system_a, admin_a, member_a, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a, files=[("plan.txt", b"secret plan")])
    with in_schema(system_a):
        stored = Path(Attachment.objects.get(ticket=ticket).file.path)
        trash.ticket_trash(actor=admin_a, ticket=ticket, system=system_a)
        with django_capture_on_commit_callbacks(execute=True):
            trash.ticket_purge(actor=admin_a, ticket=ticket, system=system_a)

    assert not stored.exists()


def test_only_tickets_in_the_trash_can_be_deleted_for_good(
    system_a, admin_a, admin_client, member_a, make_ticket
):
    ticket = make_ticket(member_a)

    assert admin_client.post(f"/trash/tickets/{ticket.number}/delete/").status_code == 404
    with in_schema(system_a):
        assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_agents_may_trash_only_when_the_owner_allows_it(system_a, agent_a, member_a, make_ticket):
    ticket = make_ticket(member_a)
    agent = client_for(system_a, agent_a)

    assert agent.get(f"/tickets/{ticket.number}/trash/").status_code == 403
    assert agent.post(f"/tickets/{ticket.number}/trash/").status_code == 403
    assert agent.get("/trash/").status_code == 403
    assert "Move to trash" not in agent.get(f"/tickets/{ticket.number}/").content.decode()

    system_a.agents_may_delete = True
    system_a.save(update_fields=["agents_may_delete"])

    assert "Move to trash" in agent.get(f"/tickets/{ticket.number}/").content.decode()
    assert agent.post(f"/tickets/{ticket.number}/trash/").status_code == 302
    assert agent.get("/trash/").status_code == 200


def test_members_can_not_trash_even_their_own_ticket(system_a, member_a, make_ticket):
    ticket = make_ticket(member_a)
    member = client_for(system_a, member_a)

    assert member.post(f"/tickets/{ticket.number}/trash/").status_code == 403
    assert member.get("/trash/").status_code == 403
    with in_schema(system_a):
        assert Ticket.objects.get(pk=ticket.pk).deleted_at is None


def test_the_owner_switches_agents_on_and_off_on_the_settings_page(system_a, owner_a, admin_a):
    owner = client_for(system_a, owner_a)
    page = owner.get("/settings/").content.decode()
    assert "Agents may move tickets and files to the trash" in page

    response = owner.post("/settings/trash/", {"agents_may_delete": "on"}, follow=True)

    assert "Agents may now move tickets and files to the trash." in response.content.decode()
    system_a.refresh_from_db()
    assert system_a.agents_may_delete is True
    owner.post("/settings/trash/", {})
    system_a.refresh_from_db()
    assert system_a.agents_may_delete is False
    assert client_for(system_a, admin_a).post("/settings/trash/", {}).status_code == 403


def test_the_trash_page_says_when_it_is_empty(admin_client):
    page = admin_client.get("/trash/").content.decode()

    assert "No ticket is in the trash." in page
    assert "No file is in the trash." in page


def test_the_trash_page_costs_the_same_queries_for_1_or_30_tickets(
    system_a, admin_a, admin_client, member_a, make_ticket, django_assert_max_num_queries
):
    def fill(first, last):
        with in_schema(system_a):
            for i in range(first, last + 1):
                ticket = make_ticket(member_a, subject=f"Old {i}", files=[("f.txt", b"x")])
                trash.ticket_trash(actor=admin_a, ticket=ticket, system=system_a)
                trash.attachment_trash(
                    actor=admin_a,
                    attachment=make_ticket(member_a, files=[("g.txt", b"y")]).attachments.get(),
                    system=system_a,
                )

    fill(0, 0)
    admin_client.get("/trash/")
    with django_assert_max_num_queries(9):
        assert admin_client.get("/trash/").status_code == 200
    fill(1, 29)
    with django_assert_max_num_queries(9):
        page = admin_client.get("/trash/").content.decode()
    assert "Page 1 of 2" in page
    assert "Old 29" in page and "Old 0" not in page  # newest first, 25 a page
    assert "Old 0" in admin_client.get("/trash/?page=2").content.decode()


def test_staff_move_ticked_tickets_to_the_trash_from_the_list(
    system_a, admin_client, agent_a, member_a, make_ticket
):
    first = make_ticket(member_a, subject="Old printer")
    second = make_ticket(member_a, subject="Old scanner")
    kept = make_ticket(member_a, subject="New laptop")
    assert 'value="trash"' in admin_client.get("/tickets/").content.decode()

    response = admin_client.post(
        "/tickets/bulk/",
        {"action": "trash", "ticket": [first.number, second.number], "back": "/tickets/"},
        follow=True,
    )

    page = response.content.decode()
    assert "Moved 2 tickets to the trash" in page
    assert "Old printer" not in page and "Old scanner" not in page and "New laptop" in page
    with in_schema(system_a):
        assert set(
            Ticket.objects.filter(deleted_at__isnull=False).values_list("pk", flat=True)
        ) == {
            first.pk,
            second.pk,
        }
        assert Ticket.objects.get(pk=kept.pk).deleted_at is None
    assert actions(system_a).count(AuditEvent.Action.TICKET_TRASHED) == 2


def test_an_agent_not_allowed_to_trash_is_not_offered_it_in_bulk_and_is_refused(
    system_a, agent_a, member_a, make_ticket
):
    ticket = make_ticket(member_a)
    agent = client_for(system_a, agent_a)
    assert 'value="trash"' not in agent.get("/tickets/").content.decode()

    response = agent.post("/tickets/bulk/", {"action": "trash", "ticket": [ticket.number]})

    assert response.status_code == 403
    with in_schema(system_a):
        assert Ticket.objects.get(pk=ticket.pk).deleted_at is None
