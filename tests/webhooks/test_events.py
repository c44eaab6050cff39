"""Which events become deliveries: only those an endpoint chose, only in its own System,
never for a change that was rolled back; and the person and SLA events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import invitations, removal, seats
from servicedesk.tokens import new_token
from tests.support.tenancy import in_schema
from tickets.models import Priority, Status
from tickets.services import tickets as ticket_services
from tickets.sla.models import TicketSLA
from tickets.sla.services.alerts import sla_alerts_send
from tickets.webhooks.models import WebhookDelivery
from tickets.webhooks.services import endpoints


def _events(system) -> list[str]:
    with in_schema(system):
        return list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True))


def test_events_an_endpoint_did_not_choose_are_not_sent(
    system_a, admin_a, agent_a, member_a, receiver, django_capture_on_commit_callbacks
):
    with in_schema(system_a):
        endpoints.endpoint_create(
            actor=admin_a, url=receiver.url, description="", events=["ticket.solved"]
        )
        with django_capture_on_commit_callbacks(execute=True):
            ticket = ticket_services.ticket_create(actor=member_a, subject="A", description=".")
            ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="Hi")
            ticket_services.ticket_update(
                actor=agent_a, ticket=ticket, changes={"priority": Priority.HIGH}
            )
            ticket_services.ticket_update(
                actor=agent_a, ticket=ticket, changes={"status": Status.SOLVED}
            )
    assert receiver.types() == ["ticket.solved"]
    assert receiver.received[0].event["data"]["changes"] == ["status"]


def test_an_endpoint_of_system_a_never_receives_system_bs_events(
    system_a, system_b, admin_a, user_b, member_a, endpoint_a, receiver,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with in_schema(system_b), django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_create(actor=user_b, subject="Bravo's", description=".")
    assert receiver.received == [] and _events(system_a) == [] and _events(system_b) == []
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_create(actor=member_a, subject="Alpha's", description=".")
    assert receiver.types() == ["ticket.created"]
    assert receiver.received[0].event["data"]["ticket"]["subject"] == "Alpha's"
    assert "alpha" in receiver.received[0].event["data"]["ticket"]["url"]


def test_a_rolled_back_change_sends_nothing(
    system_a, member_a, endpoint_a, receiver, django_capture_on_commit_callbacks
):
    with (
        in_schema(system_a),
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ticket_services.ticket_create(actor=member_a, subject="Gone", description=".")
        raise RuntimeError("the request failed after the ticket was made")
    assert queued == [] and receiver.received == [] and _events(system_a) == []


def test_updates_say_which_fields_changed_and_internal_notes_say_nothing(
    system_a, agent_a, member_a, endpoint_a, receiver, django_capture_on_commit_callbacks
):
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_services.ticket_create(actor=member_a, subject="A", description=".")
        ticket_services.ticket_update(
            actor=agent_a, ticket=ticket, changes={"assignee": agent_a}, tags=["billing"]
        )
        ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="Note", internal=True)
    assert receiver.types() == ["ticket.created", "ticket.updated"]
    data = receiver.received[1].event["data"]
    assert data["changes"] == ["assignee", "tags"]
    assert data["ticket"]["assignee"]["email"] == agent_a.email
    assert data["ticket"]["tags"] == ["billing"]
    assert data["actor"]["email"] == agent_a.email


def test_people_joining_and_leaving_are_events(
    system_a, admin_a, agent_a, member_a, endpoint_a, receiver, django_capture_on_commit_callbacks
):
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invitation_create(
            actor=admin_a, email="new@alpha.example", role="agent"
        )
        token, digest = new_token()  # the mail holds the token; it is not read here
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=digest)
        joined = invitations.invitation_accept(
            token=token, full_name="Nia New", password="pw-12345678-long",
            ip=None, user_agent="test",
        )  # fmt: skip
        seats.user_deactivate(actor=admin_a, user=joined)
        removal.user_delete(actor=admin_a, user=member_a)
    assert receiver.types() == ["person.joined", "person.left", "person.left"]
    first, deactivated, deleted = (r.event["data"] for r in receiver.received)
    assert first["person"]["email"] == "new@alpha.example" and first["person"]["role"] == "agent"
    assert deactivated == {**deactivated, "reason": "deactivated"}
    assert deleted["reason"] == "deleted" and deleted["person"]["email"] == member_a.email


def test_a_missed_sla_target_is_an_event(
    system_a, member_a, endpoint_a, receiver, django_capture_on_commit_callbacks
):
    with in_schema(system_a):
        ticket = ticket_services.ticket_create(actor=member_a, subject="Late", description=".")
        due = timezone.now() - timedelta(minutes=5)
        TicketSLA.objects.update_or_create(ticket=ticket, defaults={"response_due_at": due})
        WebhookDelivery.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            sla_alerts_send()
    assert receiver.types() == ["ticket.sla_breached"]
    data = receiver.received[0].event["data"]
    assert data["sla"]["target"] == "response" and data["ticket"]["number"] == ticket.number
