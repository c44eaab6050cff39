"""Prohibited content: reported in a System, disabled by the operator with a reason,
hidden (never deleted), answered by admins, restored — all in the audit log."""

import pytest
from django.core import mail

from accounts.models import AuditEvent
from legal.models import ContentReport, Takedown
from legal.services import takedowns
from tests.support.tenancy import client_for, in_schema
from tests.tickets.conftest import upload
from tickets.models import Attachment, Reply
from tickets.services.tickets import ticket_create, ticket_reply


@pytest.fixture
def content(system_a, owner_a, agent_a):
    with in_schema(system_a):
        ticket = ticket_create(
            actor=agent_a,
            subject="Leaked list",
            description="quokkasecret data",
            files=[upload("list.csv", b"a,b")],
        )
        reply = ticket_reply(actor=agent_a, ticket=ticket, body="Offensive words here")
        attachment = Attachment.objects.get(ticket=ticket)
    return {"ticket": ticket, "reply": reply, "attachment": attachment}


def test_anyone_in_the_system_reports_and_the_operator_hears(
    system_a, agent_a, content, django_capture_on_commit_callbacks
):
    client = client_for(system_a, agent_a)
    ticket, reply = content["ticket"], content["reply"]
    form = client.get(f"/tickets/{ticket.number}/report/?kind=reply&id={reply.pk}")
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/tickets/{ticket.number}/report/?kind=reply&id={reply.pk}",
            {"category": "deceptive", "note": "Insults"},
        )
    assert response.status_code == 302
    report = ContentReport.objects.get()
    assert (report.system, report.kind, report.object_id, report.ticket_number) == (
        system_a,
        "reply",
        reply.pk,
        ticket.number,
    )
    assert (report.reporter_email, report.category) == (agent_a.email, "deceptive")
    assert mail.outbox[0].to == ["support@localhost"]
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action="content_reported").exists()


def test_nobody_reports_what_he_cannot_see(system_a, content, member_a):
    response = client_for(system_a, member_a).get(
        f"/tickets/{content['ticket'].number}/report/?kind=ticket&id=1"
    )
    assert response.status_code == 404


def test_disabled_content_is_hidden_not_deleted_and_restored(
    system_a, owner_a, agent_a, content, operator
):
    ticket, reply, attachment = content["ticket"], content["reply"], content["attachment"]
    removal_reply = takedowns.takedown(
        system=system_a,
        kind="reply",
        object_id=reply.pk,
        reason="Harassment",
        operator_email="op@example.com",
    )
    takedowns.takedown(
        system=system_a,
        kind="attachment",
        object_id=attachment.pk,
        reason="Personal data",
        operator_email="op@example.com",
    )
    agent = client_for(system_a, agent_a)

    page = agent.get(f"/tickets/{ticket.number}/").content.decode()
    assert "Removed by the operator: Harassment" in page and "Offensive words here" not in page
    assert "removed by the operator: Personal data" in page
    download = agent.get(f"/tickets/{ticket.number}/files/{attachment.pk}/")
    assert download.status_code == 451 and b"Personal data" in download.content
    with in_schema(system_a):
        assert Reply.objects.get(pk=reply.pk).body == "Offensive words here"  # kept
        assert Attachment.objects.filter(pk=attachment.pk).exists()

    takedowns.takedown_restore(takedown_id=removal_reply.pk, operator_email="op@example.com")
    page = agent.get(f"/tickets/{ticket.number}/").content.decode()
    assert "Offensive words here" in page
    with in_schema(system_a):
        actions = list(
            AuditEvent.objects.filter(action__startswith="content_").values_list(
                "action", flat=True
            )
        )
    assert sorted(actions) == ["content_removed", "content_removed", "content_restored"]


def test_a_removed_ticket_leaves_search(system_a, agent_a, content):
    agent = client_for(system_a, agent_a)
    assert agent.get("/tickets/", {"q": "quokkasecret"}).context["page"].total == 1
    takedowns.takedown(
        system=system_a,
        kind="ticket",
        object_id=content["ticket"].pk,
        reason="Illegal",
        operator_email="op@example.com",
    )
    assert agent.get("/tickets/", {"q": "quokkasecret"}).context["page"].total == 0
    listed = agent.get("/tickets/").content.decode()
    assert "Removed content" in listed and "Leaked list" not in listed


def test_admins_see_takedowns_and_answer(
    system_a, owner_a, agent_a, content, django_capture_on_commit_callbacks
):
    removal = takedowns.takedown(
        system=system_a,
        kind="ticket",
        object_id=content["ticket"].pk,
        reason="Illegal",
        operator_email="op@example.com",
    )
    owner = client_for(system_a, owner_a)
    assert b"Illegal" in owner.get("/settings/takedowns/").content
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(
            "/settings/takedowns/", {"takedown": removal.pk, "text": "This is our own price list."}
        )
    removal.refresh_from_db()
    assert removal.appeal == "This is our own price list." and removal.appealed_by.endswith(
        f"<{owner_a.email}>"
    )
    assert client_for(system_a, agent_a).get("/settings/takedowns/").status_code == 403


def test_the_operator_disables_from_a_report_in_admin_and_restores(
    system_a, agent_a, content, operator
):
    with in_schema(system_a):
        report = takedowns.content_report(
            actor=agent_a,
            kind="attachment",
            obj=content["attachment"],
            category="privacy",
            note="",
            ip=None,
        )
    response = operator.post(
        f"/admin/legal/contentreport/{report.pk}/disable/", {"reason": "Personal data"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    removal = Takedown.objects.get()
    assert report.status == "acted" and removal.report == report
    operator.post("/admin/legal/takedown/", {"action": "restore", "_selected_action": [removal.pk]})
    removal.refresh_from_db()
    assert removal.restored_by == "op@example.com"
    with in_schema(system_a):
        assert Attachment.objects.get().removed_reason == ""


def test_takedowns_of_one_system_are_not_shown_in_another(system_a, system_b, user_b, content):
    takedowns.takedown(
        system=system_a,
        kind="ticket",
        object_id=content["ticket"].pk,
        reason="Illegal",
        operator_email="op@example.com",
    )
    page = client_for(system_b, user_b).get("/settings/takedowns/").content.decode()
    assert "Illegal" not in page


def test_restoring_a_takedown_of_content_the_system_deleted_for_good_still_records_it(
    system_a, owner_a, content
):
    from tickets.services import trash

    attachment = content["attachment"]
    removal = takedowns.takedown(
        system=system_a,
        kind="attachment",
        object_id=attachment.pk,
        reason="Personal data",
        operator_email="op@example.com",
    )
    with in_schema(system_a):
        trash.attachment_trash(actor=owner_a, attachment=attachment)
        trash.attachment_purge(actor=owner_a, attachment=attachment)

    restored = takedowns.takedown_restore(takedown_id=removal.pk, operator_email="op@example.com")

    assert restored.restored_at is not None
    with in_schema(system_a):
        assert not Attachment.objects.filter(pk=attachment.pk).exists()
        assert AuditEvent.objects.filter(action="content_restored").count() == 1
