"""Operators can't browse a System silently: a reason, a time limit, a record the customer sees."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEvent
from legal.models import OperatorAccess
from legal.tasks import accesses_expire
from tests.support.tenancy import client_for, in_schema
from tests.tickets.conftest import upload
from tickets.services.tickets import ticket_create, ticket_reply
from tickets.services.trash import ticket_trash


@pytest.fixture
def ticket_a(system_a, owner_a, agent_a):
    with in_schema(system_a):
        ticket = ticket_create(
            actor=owner_a,
            subject="Salary question",
            description="Private body",
            files=[upload("cv.txt", b"cv")],
        )
        ticket_reply(actor=agent_a, ticket=ticket, body="Internal remark", internal=True)
    return ticket


def test_without_a_grant_admin_shows_nothing_of_the_systems_data(operator, system_a, ticket_a):
    for path in ("data/", f"data/tickets/{ticket_a.number}/", "data/files/1/"):
        response = operator.get(f"/admin/tenants/system/{system_a.pk}/{path}")
        assert response.status_code == 302
        assert response["Location"] == f"/admin/tenants/system/{system_a.pk}/access/"
    change_page = operator.get(f"/admin/tenants/system/{system_a.pk}/change/").content.decode()
    assert "Salary question" not in change_page and "Private body" not in change_page


def test_a_grant_needs_a_reason_and_a_note(operator, system_a):
    response = operator.post(
        f"/admin/tenants/system/{system_a.pk}/access/", {"reason": "", "note": "", "minutes": 60}
    )
    assert response.status_code == 200
    assert not OperatorAccess.objects.exists()


def test_with_a_grant_the_operator_reads_and_the_owner_sees_what_was_opened(
    operator, system_a, owner_a, admin_a, ticket_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        granted = operator.post(
            f"/admin/tenants/system/{system_a.pk}/access/",
            {"reason": "customer_request", "note": "Owner asked why #1 fails", "minutes": 60},
        )
    assert granted["Location"] == f"/admin/tenants/system/{system_a.pk}/data/"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner_a.email, admin_a.email])
    assert "Owner asked why #1 fails" in mail.outbox[0].body

    overview = operator.get(granted["Location"]).content.decode()
    ticket_page = operator.get(
        f"/admin/tenants/system/{system_a.pk}/data/tickets/{ticket_a.number}/"
    ).content.decode()
    assert "Salary question" in overview
    assert "Private body" in ticket_page and "Internal remark" in ticket_page
    with in_schema(system_a):
        file_id = ticket_a.attachments.get().pk
    assert (
        operator.get(f"/admin/tenants/system/{system_a.pk}/data/files/{file_id}/").status_code
        == 200
    )

    page = client_for(system_a, owner_a).get("/settings/operator-access/").content.decode()
    assert (
        "op@example.com" in page
        and "Customer request" in page
        and "Owner asked why #1 fails" in page
    )
    for opened in (
        "Overview: latest tickets and people",
        f"Ticket #{ticket_a.number}",
        f"File cv.txt on #{ticket_a.number}",
    ):
        assert opened in page
    with in_schema(system_a):
        assert AuditEvent.objects.filter(
            action="operator_access", actor_label="Operator (op@example.com)"
        ).exists()


def test_ending_and_expiry_are_recorded(operator, system_a, owner_a):
    operator.post(
        f"/admin/tenants/system/{system_a.pk}/access/",
        {"reason": "technical_fix", "note": "Fix import", "minutes": 30},
    )
    operator.post(f"/admin/tenants/system/{system_a.pk}/data/end/")
    ended = OperatorAccess.objects.get()
    assert ended.end_cause == "ended" and ended.ended_at is not None
    assert operator.get(f"/admin/tenants/system/{system_a.pk}/data/").status_code == 302

    operator.post(
        f"/admin/tenants/system/{system_a.pk}/access/",
        {"reason": "legal_order", "note": "Court order 12/34", "minutes": 30},
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        assert operator.get(f"/admin/tenants/system/{system_a.pk}/data/").status_code == 302
        assert accesses_expire() == 1
        assert accesses_expire() == 0
    expired = OperatorAccess.objects.get(reason="legal_order")
    assert expired.end_cause == "expired" and expired.ended_at == expired.expires_at
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action="operator_access_end").count() == 2
    page = client_for(system_a, owner_a).get("/settings/operator-access/").content.decode()
    assert "expired" in page and "ended" in page


def test_members_and_agents_cannot_see_the_operator_access_page(system_a, agent_a):
    assert client_for(system_a, agent_a).get("/settings/operator-access/").status_code == 403


def test_a_grant_in_one_system_opens_nothing_in_another(operator, system_a, system_b):
    operator.post(
        f"/admin/tenants/system/{system_a.pk}/access/",
        {"reason": "technical_fix", "note": "x", "minutes": 30},
    )
    assert operator.get(f"/admin/tenants/system/{system_b.pk}/data/").status_code == 302


def test_the_operator_sees_no_ticket_or_file_of_the_trash_as_the_system_sees_none(
    operator, system_a, owner_a, ticket_a
):
    base = f"/admin/tenants/system/{system_a.pk}/"
    operator.post(
        f"{base}access/", {"reason": "technical_fix", "note": "Slow page", "minutes": "30"}
    )
    with in_schema(system_a):
        file_id = ticket_a.attachments.get().pk
        ticket_trash(actor=owner_a, ticket=ticket_a)

    overview = operator.get(f"{base}data/")
    ticket_page = operator.get(f"{base}data/tickets/{ticket_a.number}/")
    file_page = operator.get(f"{base}data/files/{file_id}/")

    assert overview.status_code == 200 and "Salary question" not in overview.content.decode()
    assert ticket_page.status_code == 404
    assert file_page.status_code == 404
