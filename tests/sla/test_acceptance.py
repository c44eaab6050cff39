"""Acceptance: a ticket raised on a Friday afternoon crosses a weekend and a holiday. Its
assignee is warned once before each target, the admins hear once of the breach, the clock
stops while the ticket is pending, and each target's outcome is recorded."""

from __future__ import annotations

from datetime import datetime

import time_machine
from django.core import mail

from accounts.models import User
from tests.sla.conftest import BERLIN
from tests.support.tenancy import in_schema
from tickets.models import Ticket
from tickets.services import tickets as ticket_services
from tickets.sla.models import TicketSLA
from tickets.sla.services.alerts import sla_alerts_send


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def test_a_ticket_across_a_weekend_and_a_holiday(
    sla_a, member_a, agent_a, admin_a, owner_a, django_capture_on_commit_callbacks
):
    def beat(moment: datetime) -> tuple[int, int]:
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return sla_alerts_send()

    def sent() -> list[tuple[str, str]]:
        found = sorted(
            (m.to[0], m.subject) for m in mail.outbox if "SLA" in m.subject or "due in" in m.subject
        )
        return found

    with in_schema(sla_a):
        # Friday 4 December, 16:00: one working hour left that day; Monday is a holiday.
        with time_machine.travel(at(2026, 12, 4, 16, 0), tick=False):
            ticket = ticket_services.ticket_create(
                actor=member_a, subject="VPN down", description="Since noon."
            )
            ticket = ticket_services.ticket_update(
                actor=agent_a, ticket=ticket, changes={"priority": "high", "assignee": agent_a}
            ).ticket
        record = TicketSLA.objects.get(ticket=ticket)
        # 2 h: Friday 16-17, then Tuesday 09-10 (the weekend and Monday don't count).
        assert record.response_due_at == at(2026, 12, 8, 10, 0)
        assert Ticket.objects.get(pk=ticket.pk).sla_due_at == at(2026, 12, 8, 10, 0)
        # Mail shows times in each reader's zone: the admins chose Berlin's.
        User.objects.filter(pk__in=[admin_a.pk, owner_a.pk]).update(time_zone="Europe/Berlin")
        mail.outbox.clear()

        assert beat(at(2026, 12, 5, 12, 0)) == (0, 0)  # Saturday
        assert beat(at(2026, 12, 7, 16, 0)) == (0, 0)  # the holiday: nothing runs
        assert beat(at(2026, 12, 8, 9, 5)) == (1, 0)  # within the hour: the assignee
        assert beat(at(2026, 12, 8, 9, 6)) == (0, 0)  # once
        assert sent() == [
            (agent_a.email, f"[#{ticket.number}] First response due in 55 min: VPN down")
        ]

        assert beat(at(2026, 12, 8, 10, 1)) == (0, 1)  # breached: the admins
        assert beat(at(2026, 12, 8, 10, 2)) == (0, 0)  # once
        breach_mail = {to for to, subject in sent() if "breached" in subject}
        assert breach_mail == {admin_a.email, owner_a.email}
        body = next(m.body for m in mail.outbox if "breached" in m.subject)
        assert "was due at Dec. 8, 2026, 10 a.m. (Europe/Berlin)" in body

        # Answered late: met, but breached; then pending on the requester.
        with time_machine.travel(at(2026, 12, 8, 10, 30), tick=False):
            ticket_services.ticket_reply(
                actor=agent_a, ticket=ticket, body="Which client?", status="pending"
            )
        record.refresh_from_db()
        assert record.outcome("response") == "breached"
        assert record.response_breached_at == at(2026, 12, 8, 10, 0)
        assert record.response_done_at == at(2026, 12, 8, 10, 30)
        # 8 h of resolution: 1 h on Friday and 1.5 h on Tuesday are used, 5.5 h are left.
        assert record.resolution_due_at is None
        assert record.resolution_remaining_seconds == 5.5 * 3600
        assert Ticket.objects.get(pk=ticket.pk).sla_due_at is None

        # Paused: nothing is due, whatever the time.
        assert beat(at(2026, 12, 9, 16, 0)) == (0, 0)

        # Thursday 09:00 the requester answers: the clock runs again, 5.5 h from now.
        with time_machine.travel(at(2026, 12, 10, 9, 0), tick=False):
            ticket_services.ticket_reply(actor=member_a, ticket=ticket, body="The Mac one.")
        record.refresh_from_db()
        assert record.paused_at is None
        assert record.resolution_due_at == at(2026, 12, 10, 14, 30)
        assert Ticket.objects.get(pk=ticket.pk).sla_due_at == at(2026, 12, 10, 14, 30)

        mail.outbox.clear()
        assert beat(at(2026, 12, 10, 13, 45)) == (1, 0)
        assert beat(at(2026, 12, 10, 13, 50)) == (0, 0)
        assert sent() == [(agent_a.email, f"[#{ticket.number}] Resolution due in 45 min: VPN down")]

        # Solved in time: achieved, and no breach mail ever.
        with time_machine.travel(at(2026, 12, 10, 14, 0), tick=False):
            ticket_services.ticket_update(
                actor=agent_a, ticket=ticket, changes={"status": "solved"}
            )
        assert beat(at(2026, 12, 10, 15, 0)) == (0, 0)
        record.refresh_from_db()
        assert record.outcome("resolution") == "achieved"
        assert record.resolution_done_at == at(2026, 12, 10, 14, 0)
        assert record.resolution_breached_at is None
        assert Ticket.objects.get(pk=ticket.pk).sla_due_at is None
        assert len(sent()) == 1
