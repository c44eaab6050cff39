"""Single messages edited and deleted after posting: the author for 15 minutes, admins at
any time; earlier texts for staff only; a delete purges the text and files everywhere at
once and leaves only a "Deleted by … on …" line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zipfile import ZipFile

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from servicedesk.markdown import MAX_MARKDOWN_CHARS
from tenants.models import System
from tenants.portability.models import Export
from tenants.portability.services import archive, exports
from tests.support.tenancy import client_for, in_schema
from tickets.message_selectors import MESSAGE_EDIT_WINDOW, text_digest
from tickets.models import Attachment, MessageVersion, Reply, Ticket, TicketEvent
from tickets.selectors import TicketFilters, ticket_page
from tickets.services import messages as message_services
from tickets.services import tickets as ticket_services

SECRET = "zanzibarquux"
FILE_SECRET = b"filebytes-ossifrage"


def _found(system, user, word: str) -> int:
    with in_schema(system):
        return ticket_page(user=user, filters=TicketFilters(q=word)).total


def _rows_holding(word: str) -> dict[str, int]:
    """Rows of any ticket table, or of the audit log, whose text holds ``word``."""
    tables = [
        "tickets_ticket",
        "tickets_reply",
        "tickets_attachment",
        "tickets_ticketevent",
        "tickets_messageversion",
        "accounts_auditevent",
    ]
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table} t WHERE t::text LIKE %s", [f"%{word}%"])
            found[table] = cursor.fetchone()[0]
    return {table: n for table, n in found.items() if n}


def _export(system: System, actor, capture) -> Path:
    with in_schema(system), capture(execute=True):
        export = exports.export_request(actor=actor)
    export.refresh_from_db()
    assert export.status == Export.Status.READY, export.error
    return exports.archive_path(export)


def test_a_deleted_reply_is_gone_from_the_page_search_the_export_and_the_database(
    system_a, make_ticket, member_a, agent_a, owner_a, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        reply = ticket_services.ticket_reply(
            actor=agent_a,
            ticket=ticket,
            body=f"The password is {SECRET}-one",
            files=[SimpleUploadedFile("secret.txt", FILE_SECRET)],
        )
        message_services.message_edit(
            actor=agent_a, message=reply, body=f"The password is {SECRET} (fixed)"
        )
        stored = Path(reply.attachments.get().file.path)
    assert stored.exists()
    assert _found(system_a, agent_a, SECRET) == 1  # the test can fail: it was findable
    agent = client_for(system_a, agent_a)
    assert SECRET in agent.get(f"/tickets/{ticket.number}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = agent.post(f"/tickets/{ticket.number}/replies/{reply.pk}/delete/")
    assert response.status_code == 302

    page = agent.get(f"/tickets/{ticket.number}/").content.decode()
    assert SECRET not in page
    assert "secret.txt" not in page
    assert "Deleted by Arno Agent on" in page
    assert page.count("message-deleted") == 1
    assert _found(system_a, agent_a, SECRET) == 0
    assert not stored.exists()
    with in_schema(system_a):
        row = Reply.objects.get(pk=reply.pk)
        assert (row.body, row.body_html, row.erased_by_id) == ("", "", agent_a.pk)
        assert not Attachment.objects.filter(reply=reply).exists()
        assert not MessageVersion.objects.filter(reply=reply).exists()
        assert _rows_holding(SECRET) == {}
        assert _rows_holding("secret.txt") == {}
        assert TicketEvent.objects.filter(kind=TicketEvent.Kind.DELETED, field="reply").count() == 1

    path = _export(system_a, owner_a, django_capture_on_commit_callbacks)
    with ZipFile(path) as zipped:
        everything = b"\n".join(zipped.read(name) for name in zipped.namelist())
        replies = list(archive.read_rows(zipped, "data/tickets.reply.json"))
    assert SECRET.encode() not in everything
    assert FILE_SECRET not in everything
    assert b"secret.txt" not in everything
    (exported,) = [r for r in replies if r["id"] == reply.pk]
    assert exported["body"] == "" and exported["erased_at"]


def test_the_author_may_edit_for_15_minutes_and_an_admin_at_any_time(
    system_a, make_ticket, member_a, admin_a
):
    posted = timezone.now()
    with time_machine.travel(posted, tick=False):
        ticket = make_ticket(member_a)
        with in_schema(system_a):
            reply = ticket_services.ticket_reply(actor=member_a, ticket=ticket, body="first")
    member = client_for(system_a, member_a)
    url = f"/tickets/{ticket.number}/replies/{reply.pk}/edit/"

    with time_machine.travel(posted + timedelta(minutes=14), tick=False):
        assert f'href="{url}"' in member.get(f"/tickets/{ticket.number}/").content.decode()
        response = member.post(url, {"body": "second", "shown": text_digest("first")})
        assert response.status_code == 302

    with time_machine.travel(posted + timedelta(minutes=16), tick=False):
        assert f'href="{url}"' not in member.get(f"/tickets/{ticket.number}/").content.decode()
        response = member.post(url, {"body": "third", "shown": text_digest("second")})
        assert response.status_code == 403
        assert "15 minutes after posting" in response.content.decode()
        with in_schema(system_a), pytest.raises(PermissionDenied):
            message_services.message_edit(actor=member_a, message=reply, body="third")

    assert timedelta(minutes=15) == MESSAGE_EDIT_WINDOW
    with time_machine.travel(posted + timedelta(days=40), tick=False):
        admin = client_for(system_a, admin_a)
        response = admin.post(url, {"body": "by the admin", "shown": text_digest("second")})
        assert response.status_code == 302
        with in_schema(system_a):
            deleted = message_services.message_delete(actor=admin_a, message=reply)
            assert deleted.erased_by_id == admin_a.pk
    with in_schema(system_a):
        reply.refresh_from_db()
        assert (reply.body, reply.edited_at) == ("", None)


def test_someone_else_may_not_edit_or_delete_and_is_told_why(
    system_a, make_ticket, member_a, agent_a
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        reply = ticket_services.ticket_reply(actor=member_a, ticket=ticket, body="mine")
    agent = client_for(system_a, agent_a)
    for action in ("edit", "delete"):
        response = agent.post(f"/tickets/{ticket.number}/replies/{reply.pk}/{action}/")
        assert response.status_code == 403
        assert "Only its author" in response.content.decode()
    with in_schema(system_a):
        assert Reply.objects.get(pk=reply.pk).body == "mine"


def test_staff_see_earlier_versions_and_a_member_never_sees_an_earlier_text(
    system_a, make_ticket, member_a, agent_a
):
    ticket = make_ticket(member_a, description="original description")
    with in_schema(system_a):
        note = ticket_services.ticket_reply(
            actor=agent_a, ticket=ticket, body="note-first-draft", internal=True
        )
        public = ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="reply-draft")
        message_services.message_edit(actor=agent_a, message=note, body="note-final")
        message_services.message_edit(actor=agent_a, message=public, body="reply-final")
        message_services.message_edit(
            actor=member_a, message=Ticket.objects.get(pk=ticket.pk), body="better description"
        )

    staff_page = client_for(system_a, agent_a).get(f"/tickets/{ticket.number}/").content.decode()
    for earlier in ("note-first-draft", "reply-draft", "original description"):
        assert earlier in staff_page
    assert staff_page.count("Earlier versions (1)") == 3

    member = client_for(system_a, member_a)
    page = member.get(f"/tickets/{ticket.number}/").content.decode()
    assert "reply-final" in page and "better description" in page
    assert "edited" in page
    for hidden in ("note-first-draft", "note-final", "reply-draft", "original description"):
        assert hidden not in page
    assert "Earlier versions" not in page
    assert "edited an internal note" not in page
    # Nor through the note's own pages.
    for action in ("edit", "delete"):
        assert (
            member.get(f"/tickets/{ticket.number}/replies/{note.pk}/{action}/").status_code == 404
        )


def test_deleting_a_file_removes_it_from_storage_and_the_storage_counter(
    system_a, make_ticket, member_a, django_capture_on_commit_callbacks
):
    content = b"x" * 5000
    ticket = make_ticket(member_a, files=[("keep.txt", b"keep"), ("drop.txt", content)])
    with in_schema(system_a):
        drop = Attachment.objects.get(original_name="drop.txt")
        stored = Path(drop.file.path)
    used_before = System.objects.get(pk=system_a.pk).storage_used
    member = client_for(system_a, member_a)
    confirm = member.get(f"/tickets/{ticket.number}/files/{drop.pk}/delete/").content.decode()
    assert "can't be restored" in confirm

    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(f"/tickets/{ticket.number}/files/{drop.pk}/delete/")

    assert response.status_code == 302
    assert not stored.exists()
    assert System.objects.get(pk=system_a.pk).storage_used == used_before - len(content)
    page = member.get(f"/tickets/{ticket.number}/").content.decode()
    assert "drop.txt" not in page and "keep.txt" in page
    assert "Deleted by Mia Member on" in page
    assert member.get(f"/tickets/{ticket.number}/files/{drop.pk}/").status_code == 404
    with in_schema(system_a):
        assert _rows_holding("drop.txt") == {}


def test_the_confirm_page_says_mail_already_sent_is_not_recalled(
    system_a, make_ticket, member_a, agent_a
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        reply = ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="sent")
    page = client_for(system_a, agent_a).get(f"/tickets/{ticket.number}/replies/{reply.pk}/delete/")
    assert page.status_code == 200
    assert "Email already sent is not recalled." in page.content.decode()
    with in_schema(system_a):
        assert Reply.objects.get(pk=reply.pk).body == "sent"  # a GET deletes nothing


def test_an_edit_made_meanwhile_is_not_overwritten_and_the_text_typed_is_kept(
    system_a, make_ticket, member_a, agent_a, admin_a
):
    ticket = make_ticket(member_a)
    with in_schema(system_a):
        reply = ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="v1")
    url = f"/tickets/{ticket.number}/replies/{reply.pk}/edit/"
    shown = text_digest("v1")
    assert (
        client_for(system_a, admin_a).post(url, {"body": "admin's v2", "shown": shown}).status_code
        == 302
    )

    agent = client_for(system_a, agent_a)
    response = agent.post(url, {"body": "agent's v2", "shown": shown})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Ada Admin changed this text after you opened it." in page
    assert "agent&#x27;s v2</textarea>" in page
    with in_schema(system_a):
        assert Reply.objects.get(pk=reply.pk).body == "admin's v2"
    # Saving again from that page replaces it on purpose.
    again = agent.post(url, {"body": "agent's v2", "shown": text_digest("admin's v2")})
    assert again.status_code == 302
    with in_schema(system_a):
        assert Reply.objects.get(pk=reply.pk).body == "agent's v2"
        assert MessageVersion.objects.filter(reply=reply).count() == 2


def test_an_edit_over_64_kb_is_refused_and_the_text_is_kept(system_a, make_ticket, member_a):
    ticket = make_ticket(member_a)
    too_long = "y" * (MAX_MARKDOWN_CHARS + 1)
    response = client_for(system_a, member_a).post(
        f"/tickets/{ticket.number}/description/edit/",
        {"body": too_long, "shown": text_digest("It shows error E42.")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"at most {MAX_MARKDOWN_CHARS:,} characters" in page
    assert f"{too_long}</textarea>" in page
    with in_schema(system_a):
        assert Ticket.objects.get(pk=ticket.pk).description == "It shows error E42."


def test_editing_sends_no_mail(
    system_a, make_ticket, member_a, agent_a, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a)
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        reply = ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="hello")
    assert len(mail.outbox) == 1  # the reply itself was mailed to the requester
    mail.outbox.clear()
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        message_services.message_edit(actor=agent_a, message=reply, body="hello again")
    assert mail.outbox == []


def test_the_ticket_page_query_count_stays_bounded_with_edited_and_deleted_messages(
    system_a, make_ticket, member_a, agent_a, admin_a, django_assert_max_num_queries
):
    ticket = make_ticket(member_a, files=[("a.txt", b"a")])
    with in_schema(system_a):
        ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="first")
    client = client_for(system_a, admin_a)
    client.get(f"/tickets/{ticket.number}/")
    with django_assert_max_num_queries(25) as one:
        response = client.get(f"/tickets/{ticket.number}/")
        assert response.status_code == 200
    baseline = len(one.captured_queries)
    with in_schema(system_a):
        for n in range(30):
            reply = ticket_services.ticket_reply(
                actor=agent_a,
                ticket=ticket,
                body=f"reply {n}",
                internal=n % 3 == 0,
                files=[SimpleUploadedFile(f"f{n}.txt", b"data")] if n % 2 else [],
            )
            if n % 3 == 1:
                message_services.message_edit(actor=admin_a, message=reply, body=f"edited {n}")
            elif n % 3 == 2:
                message_services.message_delete(actor=agent_a, message=reply)
        message_services.message_edit(
            actor=admin_a, message=Ticket.objects.get(pk=ticket.pk), body="edited description"
        )
        message_services.attachment_delete(
            actor=admin_a, attachment=Attachment.objects.get(original_name="a.txt")
        )
    with django_assert_max_num_queries(baseline):
        response = client.get(f"/tickets/{ticket.number}/")
        page = response.content.decode()
        assert response.status_code == 200
        assert page.count("message-deleted") == 10
        assert page.count("Earlier versions (1)") == 11
        assert page.count("Deleted by") == 11


def test_an_export_with_deleted_and_edited_messages_imports_as_it_was(
    system_a, make_ticket, member_a, owner_a, django_capture_on_commit_callbacks
):
    ticket = make_ticket(member_a, files=[("gone.txt", b"gone"), ("kept.txt", b"kept")])
    with in_schema(system_a):
        reply = ticket_services.ticket_reply(actor=member_a, ticket=ticket, body="draft")
        message_services.message_edit(actor=member_a, message=reply, body="final")
        message_services.attachment_delete(
            actor=member_a, attachment=Attachment.objects.get(original_name="gone.txt")
        )
        erased = ticket_services.ticket_reply(actor=member_a, ticket=ticket, body="oops")
        message_services.message_delete(actor=member_a, message=erased)
    path = _export(system_a, owner_a, django_capture_on_commit_callbacks)

    call_command("import_system", str(path), "--slug", "alpha-copy")

    copy = System.objects.get(slug="alpha-copy")
    with in_schema(copy):
        assert list(Attachment.objects.live().values_list("original_name", flat=True)) == [
            "kept.txt"
        ]
        assert Attachment.objects.filter(erased_at__isnull=False).count() == 1
        assert MessageVersion.objects.get().body == "draft"
        assert Reply.objects.get(pk=erased.pk).erased_at is not None
