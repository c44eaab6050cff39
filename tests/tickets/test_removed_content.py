"""What the operator removed shows nothing of itself: no text, no subject, no link card."""

from legal.services import takedowns
from tests.support.forms import form_values
from tests.support.tenancy import in_schema
from tickets.services import tickets as ticket_services


def _take_down(system, kind: str, object_id: int) -> None:
    takedowns.takedown(
        system=system, kind=kind, object_id=object_id, reason="Fraud", operator_email="op@x.io"
    )


def test_removed_content_makes_no_card_and_shows_nothing_of_its_text(
    system_a, make_ticket, member_a, agent_a, member_client, agent_client
):
    ticket = make_ticket(
        member_a,
        subject="Wire the money today",
        description="Invoice https://www.dropbox.com/s/a/Invoice.pdf",
    )
    with in_schema(system_a):
        reply = ticket_services.ticket_reply(
            actor=agent_a, ticket=ticket, body="Sheet https://1drv.ms/x/s!Sheet?name=Plan.xlsx"
        )
        ticket_services.ticket_reply(
            actor=agent_a, ticket=ticket, body="Ours https://drive.google.com/drive/folders/0B"
        )

    _take_down(system_a, "reply", reply.pk)
    page = member_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "Plan.xlsx" not in page and "OneDrive" not in page
    assert '<span class="link-card-name">Invoice.pdf</span>' in page
    assert '<span class="link-card-name">Google Drive folder</span>' in page

    _take_down(system_a, "ticket", ticket.pk)
    for client in (member_client, agent_client):
        page = client.get(f"/tickets/{ticket.number}/").content.decode()
        assert "Invoice.pdf" not in page and "Dropbox" not in page
        assert "Wire the money" not in page  # not in the title, nor in staff's subject box
        assert f"<title>#{ticket.number} Removed content" in page
        # What the operator left alone still shows, cards included.
        assert '<span class="link-card-name">Google Drive folder</span>' in page


def test_the_trash_pages_show_no_subject_the_operator_removed(
    system_a, make_ticket, member_a, admin_client_a_tickets
):
    ticket = make_ticket(member_a, subject="Wire the money today")
    _take_down(system_a, "ticket", ticket.pk)

    confirm = admin_client_a_tickets.get(f"/tickets/{ticket.number}/trash/").content.decode()
    assert "Wire the money" not in confirm and "Removed content" in confirm
    assert admin_client_a_tickets.post(f"/tickets/{ticket.number}/trash/").status_code == 302
    listed = admin_client_a_tickets.get("/trash/").content.decode()
    assert f"#{ticket.number}</span> Removed content" in listed
    assert "Wire the money" not in listed
    purge = admin_client_a_tickets.get(f"/trash/tickets/{ticket.number}/delete/")
    assert purge.status_code == 200 and "Wire the money" not in purge.content.decode()


def test_staff_still_change_a_removed_tickets_fields_without_its_subject(
    system_a, make_ticket, member_a, agent_client
):
    ticket = make_ticket(member_a, subject="Wire the money today")
    _take_down(system_a, "ticket", ticket.pk)

    page = agent_client.get(f"/tickets/{ticket.number}/").content.decode()
    sidebar = form_values(page, action=f"/tickets/{ticket.number}/fields/")
    assert "subject" not in sidebar and "shown_subject" not in sidebar

    response = agent_client.post(
        f"/tickets/{ticket.number}/fields/", {**sidebar, "status": "pending", "priority": "high"}
    )

    assert response.status_code == 302
    with in_schema(system_a):
        ticket.refresh_from_db()
    assert (ticket.status, ticket.priority) == ("pending", "high")
    assert ticket.subject == "Wire the money today"
