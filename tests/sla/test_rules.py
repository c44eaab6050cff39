"""The SLA rules: which policy applies, what counts as a first response, pauses, reopening,
recomputation, and the once-only claims."""

from __future__ import annotations

from datetime import datetime, timedelta

import time_machine
from django.core import mail

from tenants.models import System
from tests.sla.conftest import BERLIN
from tests.support.tenancy import in_schema
from tickets.models import Category, Ticket
from tickets.services import tickets as ticket_services
from tickets.sla.models import SLAPolicy, TicketSLA
from tickets.sla.services import alerts
from tickets.sla.services.clock import sla_backfill


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


TUESDAY_10 = at(2026, 12, 1, 10, 0)


def _raise(actor, **fields) -> Ticket:
    with time_machine.travel(TUESDAY_10, tick=False):
        return ticket_services.ticket_create(
            actor=actor, subject="Printer", description="Jammed.", **fields
        )


def test_a_category_policy_wins_over_its_priority_and_no_policy_means_no_clock(
    sla_a, member_a, agent_a
):
    with in_schema(sla_a):
        billing = Category.objects.create(name="Billing")
        SLAPolicy.objects.create(priority="normal", category=billing, response_minutes=30)
        plain = _raise(member_a)
        specific = _raise(agent_a, category=billing)
        unruled = _raise(agent_a, priority="low")

        assert TicketSLA.objects.get(ticket=plain).response_due_at == at(2026, 12, 1, 14, 0)
        record = TicketSLA.objects.get(ticket=specific)
        assert record.response_due_at == at(2026, 12, 1, 10, 30)
        assert record.resolution_due_at is None  # the category's policy has none
        assert not TicketSLA.objects.filter(ticket=unruled).exists()
        assert Ticket.objects.get(pk=unruled.pk).sla_due_at is None


def test_a_new_priority_recomputes_the_targets_from_creation(sla_a, member_a, agent_a):
    with in_schema(sla_a):
        ticket = _raise(member_a)
        with time_machine.travel(at(2026, 12, 1, 11, 0), tick=False):
            ticket_services.ticket_update(
                actor=agent_a, ticket=ticket, changes={"priority": "high"}
            )
        record = TicketSLA.objects.get(ticket=ticket)
        assert (record.response_minutes, record.resolution_minutes) == (120, 480)
        assert record.response_due_at == at(2026, 12, 1, 12, 0)
        assert record.resolution_due_at == at(2026, 12, 2, 10, 0)
        assert Ticket.objects.get(pk=ticket.pk).sla_due_at == at(2026, 12, 1, 12, 0)

        # A priority without a policy: no targets left to run.
        ticket_services.ticket_update(actor=agent_a, ticket=ticket, changes={"priority": "low"})
        record.refresh_from_db()
        assert (record.response_due_at, record.resolution_due_at) == (None, None)
        assert Ticket.objects.get(pk=ticket.pk).sla_due_at is None


def test_only_a_public_reply_by_staff_is_the_first_response(sla_a, member_a, agent_a):
    with in_schema(sla_a):
        ticket = _raise(member_a)
        with time_machine.travel(at(2026, 12, 1, 11, 0), tick=False):
            ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="Hmm.", internal=True)
            ticket_services.ticket_reply(actor=member_a, ticket=ticket, body="Any news?")
        record = TicketSLA.objects.get(ticket=ticket)
        assert record.response_done_at is None

        with time_machine.travel(at(2026, 12, 1, 12, 0), tick=False):
            ticket_services.ticket_reply(actor=agent_a, ticket=ticket, body="On it.")
        record.refresh_from_db()
        assert record.response_done_at == at(2026, 12, 1, 12, 0)
        assert record.outcome("response") == "achieved"
        # The resolution target is what remains to run.
        assert Ticket.objects.get(pk=ticket.pk).sla_due_at == record.resolution_due_at


def test_a_reopened_ticket_runs_again_without_the_time_it_was_solved(sla_a, member_a, agent_a):
    with in_schema(sla_a):
        ticket = _raise(member_a)  # resolution: 16 h, due Thursday 10:00
        assert TicketSLA.objects.get(ticket=ticket).resolution_due_at == at(2026, 12, 3, 10, 0)
        with time_machine.travel(at(2026, 12, 1, 12, 0), tick=False):
            ticket_services.ticket_update(
                actor=agent_a, ticket=ticket, changes={"status": "solved"}
            )
        record = TicketSLA.objects.get(ticket=ticket)
        assert record.outcome("resolution") == "achieved"
        assert Ticket.objects.get(pk=ticket.pk).sla_due_at is None

        # Reopened a working day later: that day doesn't count, 14 h are left.
        with time_machine.travel(at(2026, 12, 2, 12, 0), tick=False):
            ticket_services.ticket_reopen(actor=member_a, ticket=ticket)
        record.refresh_from_db()
        assert record.outcome("resolution") == ""
        assert record.paused_total == timedelta(hours=8)
        assert record.resolution_due_at == at(2026, 12, 4, 10, 0)


def test_backfill_gives_old_tickets_targets_once_and_late_ones_no_mail(
    sla_a, member_a, agent_a, django_capture_on_commit_callbacks
):
    with in_schema(sla_a):
        SLAPolicy.objects.all().delete()
        old = _raise(member_a)
        fresh = _raise(member_a)
        assert not TicketSLA.objects.exists()
        SLAPolicy.objects.create(priority="normal", response_minutes=60)
        with time_machine.travel(at(2026, 12, 1, 10, 30), tick=False):
            ticket_services.ticket_update(actor=agent_a, ticket=fresh, changes={"priority": "high"})
            ticket_services.ticket_update(
                actor=agent_a, ticket=fresh, changes={"priority": "normal"}
            )

        with time_machine.travel(at(2026, 12, 1, 15, 0), tick=False):
            assert sla_backfill(batch_size=1) == 2
            late = TicketSLA.objects.get(ticket=old)
            assert late.response_breached_at == at(2026, 12, 1, 11, 0)
            assert late.response_notified_at is not None
            before = list(TicketSLA.objects.order_by("pk").values())
            assert sla_backfill() == 2
            assert list(TicketSLA.objects.order_by("pk").values()) == before
            mail.outbox.clear()
            with django_capture_on_commit_callbacks(execute=True):
                # The old one was late before any policy: no mail. The other one breached
                # under a policy: the admins hear of it.
                assert alerts.sla_alerts_send() == (0, 1)


def test_two_beats_claiming_the_same_target_send_once(sla_a, member_a, agent_a):
    with in_schema(sla_a):
        ticket = _raise(member_a, priority="normal")
        row = TicketSLA.objects.get(ticket=ticket)
        now = at(2026, 12, 1, 13, 30)
        due = row.response_due_at
        # Both read the row before either wrote: only the first conditional UPDATE wins.
        assert alerts._claimed(row, "response", due, late=False, now=now)
        assert not alerts._claimed(row, "response", due, late=False, now=now)
        later = at(2026, 12, 1, 14, 30)
        assert alerts._claimed(row, "response", due, late=True, now=later)
        assert not alerts._claimed(row, "response", due, late=True, now=later)
        row.refresh_from_db()
        assert (row.response_warned_at, row.response_notified_at) == (now, later)
        assert row.response_breached_at == due


def test_a_suspended_system_sends_no_sla_mail(
    sla_a, member_a, agent_a, django_capture_on_commit_callbacks
):
    System.objects.filter(pk=sla_a.pk).update(status=System.Status.SUSPENDED)
    with in_schema(sla_a):
        _raise(member_a)
        mail.outbox.clear()
        with (
            time_machine.travel(at(2026, 12, 1, 15, 0), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert alerts.sla_alerts_send() == (0, 1)
    assert mail.outbox == []


def test_beat_checks_every_working_system_in_its_own_schema(
    sla_a, system_b, member_a, admin_a, django_capture_on_commit_callbacks
):
    from tickets.sla.tasks import sla_check_all

    with in_schema(sla_a):
        ticket = _raise(member_a)
    mail.outbox.clear()
    with (
        time_machine.travel(at(2026, 12, 1, 15, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sla_check_all() >= 2  # A and B at least; pooled schemas are left alone
    with in_schema(sla_a):
        assert TicketSLA.objects.get(ticket=ticket).response_notified_at is not None
    assert [m.to for m in mail.outbox if "SLA breached" in m.subject] == [[admin_a.email]]
