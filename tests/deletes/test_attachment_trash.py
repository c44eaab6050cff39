"""Files in the trash: gone from the ticket and its download link, restored or deleted for
good with their bytes, every step audited."""

from __future__ import annotations

from pathlib import Path

from accounts.models import AuditEvent
from tests.support.tenancy import client_for, in_schema
from tickets.models import Attachment
from tickets.services import trash
from tickets.services.tickets import ticket_reply


def file_of(system, ticket) -> Attachment:
    with in_schema(system):
        return Attachment.objects.filter(ticket=ticket).order_by("id").last()


def test_a_trashed_file_leaves_the_ticket_and_its_link_answers_404(
    system_a, admin_client, member_a, make_ticket
):
    ticket = make_ticket(member_a, files=[("salaries.csv", b"a,b")])
    file = file_of(system_a, ticket)
    url = f"/tickets/{ticket.number}/files/{file.pk}/"
    assert (
        "Move salaries.csv to the trash"
        in admin_client.get(f"/tickets/{ticket.number}/").content.decode()
    )

    confirm = admin_client.get(f"{url}trash/").content.decode()
    assert "Move salaries.csv to the trash?" in confirm
    response = admin_client.post(f"{url}trash/", follow=True)

    assert "salaries.csv is in the trash" in response.content.decode()
    member = client_for(system_a, member_a)
    assert "salaries.csv" not in member.get(f"/tickets/{ticket.number}/").content.decode()
    assert member.get(url).status_code == 404
    assert admin_client.get(url).status_code == 404
    assert "salaries.csv" in admin_client.get("/trash/").content.decode()
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action=AuditEvent.Action.ATTACHMENT_TRASHED).exists()


def test_a_file_on_a_reply_goes_to_the_trash_too(
    system_a, admin_a, admin_client, member_a, make_ticket
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        from django.core.files.uploadedfile import SimpleUploadedFile

        ticket_reply(
            actor=member_a,
            ticket=ticket,
            body="Here",
            files=[SimpleUploadedFile("photo.txt", b"p")],
        )
    file = file_of(system_a, ticket)
    page = admin_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert f"/tickets/{ticket.number}/files/{file.pk}/trash/" in page

    admin_client.post(f"/tickets/{ticket.number}/files/{file.pk}/trash/", follow=True)

    assert "photo.txt" not in admin_client.get(f"/tickets/{ticket.number}/").content.decode()


def test_restoring_a_file_puts_it_back(system_a, admin_a, admin_client, member_a, make_ticket):
    ticket = make_ticket(member_a, files=[("notes.txt", b"n")])
    file = file_of(system_a, ticket)
    with in_schema(system_a):
        trash.attachment_trash(actor=admin_a, attachment=file, system=system_a)

    response = admin_client.post(f"/trash/files/{file.pk}/restore/", follow=True)

    assert "notes.txt is back." in response.content.decode()
    assert admin_client.get(f"/tickets/{ticket.number}/files/{file.pk}/").status_code == 200
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action=AuditEvent.Action.ATTACHMENT_RESTORED).exists()


def test_deleting_a_file_for_good_removes_its_bytes(
    system_a, admin_a, admin_client, member_a, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a, files=[("notes.txt", b"n")])
    file = file_of(system_a, ticket)
    with in_schema(system_a):
        stored = Path(file.file.path)
        trash.attachment_trash(actor=admin_a, attachment=file, system=system_a)
    assert "can't be undone" in admin_client.get(f"/trash/files/{file.pk}/delete/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/trash/files/{file.pk}/delete/", follow=True)

    assert "notes.txt is deleted for good." in response.content.decode()
    assert not stored.exists()
    with in_schema(system_a):
        assert not Attachment.objects.filter(pk=file.pk).exists()
        assert AuditEvent.objects.filter(action=AuditEvent.Action.ATTACHMENT_PURGED).exists()
    assert admin_client.get(f"/tickets/{ticket.number}/").status_code == 200


def test_agents_trash_files_only_when_the_owner_allows_it(system_a, agent_a, member_a, make_ticket):
    ticket = make_ticket(member_a, files=[("notes.txt", b"n")])
    file = file_of(system_a, ticket)
    agent = client_for(system_a, agent_a)
    url = f"/tickets/{ticket.number}/files/{file.pk}/trash/"

    assert agent.post(url).status_code == 403
    system_a.agents_may_delete = True
    system_a.save(update_fields=["agents_may_delete"])
    assert agent.post(url).status_code == 302
    assert agent.post(f"/trash/files/{file.pk}/restore/").status_code == 302


def test_members_can_not_trash_files(system_a, member_a, make_ticket):
    ticket = make_ticket(member_a, files=[("notes.txt", b"n")])
    file = file_of(system_a, ticket)

    response = client_for(system_a, member_a).post(
        f"/tickets/{ticket.number}/files/{file.pk}/trash/"
    )

    assert response.status_code == 403
    with in_schema(system_a):
        assert Attachment.objects.get(pk=file.pk).deleted_at is None
