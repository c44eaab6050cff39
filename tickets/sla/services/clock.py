"""The SLA clock of each ticket: targets when it is created and when its priority or category
changes, the first response, pauses while it waits (pending) or is done (solved, closed),
outcomes, and the recomputation of open tickets after the calendar or policies change.

Every deadline is computed from the ticket's creation: the target plus the business time of
the pauses that ended, added in the System's calendar. A pause stores the business time
left on each running target; on resume the deadlines move by the paused business time.
A breach, once recorded, stays: it happened, and its mail went out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from accounts.models import Role, User
from accounts.permissions import Perm, can
from servicedesk.calendar import BusinessCalendar
from tickets.models import Reply, Status, Ticket
from tickets.sla.models import TARGETS, SLAPolicy, TicketSLA
from tickets.sla.selectors import STOPPED, business_calendar, policy_for

DONE = frozenset({Status.SOLVED, Status.CLOSED})
# The fields the clock writes; the beat's claims (warned, notified) are never among them,
# and a breach only when this call recorded it.
STATE_FIELDS = [
    "policy",
    "paused_at",
    "paused_seconds",
    *(f"{name}_{part}" for name, _ in TARGETS for part in ("minutes", "due_at", "done_at")),
    *(f"{name}_remaining_seconds" for name, _ in TARGETS),
]
BREACH_FIELDS = [f"{name}_breached_at" for name, _ in TARGETS]
STAFF_ROLES = (Role.OWNER, Role.ADMIN, Role.AGENT)
_CACHE = "_sla_record"
_MISSING = object()


def _record(ticket: Ticket) -> TicketSLA | None:
    """The ticket's record, read once per ticket object (a reply that also changes the
    status reaches the clock twice)."""
    cached = getattr(ticket, _CACHE, _MISSING)
    if cached is _MISSING:
        cached = TicketSLA.objects.filter(ticket_id=ticket.pk).first()
        setattr(ticket, _CACHE, cached)
    return cached  # type: ignore[return-value]


def _targets(record: TicketSLA, policy: SLAPolicy | None) -> None:
    record.policy = policy
    for name, _ in TARGETS:
        setattr(record, f"{name}_minutes", getattr(policy, f"{name}_minutes", None))


def _plan(record: TicketSLA, *, created_at: datetime, calendar: BusinessCalendar) -> None:
    """Each open target's deadline (running) or business time left (paused)."""
    for name, _ in TARGETS:
        if getattr(record, f"{name}_done_at") is not None:
            continue  # met: its deadline stays as it was, for the record
        minutes = getattr(record, f"{name}_minutes")
        due, remaining = None, None
        if minutes is not None:
            budget = timedelta(minutes=minutes) + record.paused_total
            if record.paused_at is None:
                due = calendar.add_working_time(created_at, budget)
            else:
                remaining = budget - calendar.working_time_between(created_at, record.paused_at)
        setattr(record, f"{name}_due_at", due)
        seconds = None if remaining is None else int(remaining.total_seconds())
        setattr(record, f"{name}_remaining_seconds", seconds)


def _breaches(record: TicketSLA, now: datetime) -> None:
    """Record the breach of every running target whose deadline has passed."""
    for name, _ in TARGETS:
        due = getattr(record, f"{name}_due_at")
        if (
            due is not None
            and due < now
            and getattr(record, f"{name}_done_at") is None
            and getattr(record, f"{name}_breached_at") is None
        ):
            setattr(record, f"{name}_breached_at", due)


def _status(record: TicketSLA, *, status: str, now: datetime, calendar: BusinessCalendar) -> None:
    if status in DONE:
        if record.resolution_done_at is None:
            record.resolution_done_at = now
    elif record.resolution_done_at is not None:
        record.resolution_done_at = None  # reopened: the resolution clock runs again
    if status in STOPPED and record.paused_at is None:
        record.paused_at = now
    elif status not in STOPPED and record.paused_at is not None:
        stopped = calendar.working_time_between(record.paused_at, now)
        record.paused_seconds += int(stopped.total_seconds())
        record.paused_at = None


def _save(record: TicketSLA, breached_before: list[object], *, created: bool) -> None:
    if created:
        record.save(force_insert=True)
        return
    newly = [
        field
        for field, before in zip(BREACH_FIELDS, breached_before, strict=True)
        if getattr(record, field) != before
    ]
    record.save(update_fields=[*STATE_FIELDS, *newly])


def _due_changed(ticket: Ticket, record: TicketSLA) -> list[str]:
    due = record.nearest_due()
    if ticket.sla_due_at == due:
        return []
    ticket.sla_due_at = due
    return ["sla_due_at"]


def sla_start(*, ticket: Ticket) -> None:
    """A new ticket's targets, under the policy of its priority (and category)."""
    policy = policy_for(priority=ticket.priority, category_id=ticket.category_id)
    if policy is None:
        setattr(ticket, _CACHE, None)
        return
    record = TicketSLA(ticket=ticket)
    _targets(record, policy)
    _plan(record, created_at=ticket.created_at, calendar=business_calendar())
    record.save(force_insert=True)
    setattr(ticket, _CACHE, record)
    if _due_changed(ticket, record):
        Ticket.objects.filter(pk=ticket.pk).update(sla_due_at=ticket.sla_due_at)


def sla_ticket_changed(*, ticket: Ticket, changed: list[str]) -> list[str]:
    """After a change of status, priority or category on ``ticket`` (locked, not yet
    saved): the clock follows. Returns ["sla_due_at"] when the caller must save it too."""
    if not {"status", "priority", "category"} & set(changed):
        return []
    now = timezone.now()
    record = _record(ticket)
    created = False
    if "priority" in changed or "category" in changed:
        policy = policy_for(priority=ticket.priority, category_id=ticket.category_id)
        if record is None:
            if policy is None:
                return []
            record, created = TicketSLA(ticket=ticket), True
            if ticket.status in STOPPED:
                record.paused_at = now
            setattr(ticket, _CACHE, record)
        _targets(record, policy)
    if record is None:
        return []
    breached_before = [getattr(record, field) for field in BREACH_FIELDS]
    calendar = business_calendar()
    _breaches(record, now)
    if "status" in changed:
        _status(record, status=ticket.status, now=now, calendar=calendar)
    _plan(record, created_at=ticket.created_at, calendar=calendar)
    _save(record, breached_before, created=created)
    return _due_changed(ticket, record)


def sla_replied(*, ticket: Ticket, reply: Reply) -> list[str]:
    """A public reply by staff is the first response (a note, or the requester, is not)."""
    author: User | None = reply.author
    if reply.is_internal or author is None or not can(author, Perm.TICKET_WORK):
        return []
    record = _record(ticket)
    if record is None or record.response_done_at is not None:
        return []
    breached_before = [getattr(record, field) for field in BREACH_FIELDS]
    _breaches(record, reply.created_at)
    record.response_done_at = reply.created_at
    record.response_remaining_seconds = None
    _save(record, breached_before, created=False)
    return _due_changed(ticket, record)


def sla_backfill(*, batch_size: int = 500) -> int:
    """Recompute every open ticket under today's calendar and policies, a batch a
    transaction; running it twice changes nothing. A ticket that gets its first targets
    here and is already late is recorded breached without mail (it was late before any
    policy said so). Returns how many tickets it looked at."""
    calendar = business_calendar()
    policies = {(p.priority, p.category_id): p for p in SLAPolicy.objects.all()}
    last, seen = 0, 0
    while True:
        with transaction.atomic():
            tickets = list(
                Ticket.objects.live()
                .exclude(status__in=DONE)
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "status", "priority", "category_id", "created_at", "sla_due_at")
                .select_for_update(of=("self",))[:batch_size]
            )
            if not tickets:
                return seen
            _backfill_batch(tickets, calendar=calendar, policies=policies)
        last, seen = tickets[-1].pk, seen + len(tickets)


def _first_responses(ticket_ids: list[int]) -> dict[int, datetime]:
    """When staff first answered each of these tickets in public."""
    if not ticket_ids:
        return {}
    firsts = (
        Reply.objects.filter(
            ticket_id__in=ticket_ids, is_internal=False, author__role__in=STAFF_ROLES
        )
        .values("ticket_id")
        .annotate(first=Min("created_at"))
    )
    return {row["ticket_id"]: row["first"] for row in firsts}


def _backfill_batch(
    tickets: list[Ticket],
    *,
    calendar: BusinessCalendar,
    policies: dict[tuple[str, int | None], SLAPolicy],
) -> None:
    now = timezone.now()
    records = {r.ticket_id: r for r in TicketSLA.objects.filter(ticket__in=tickets)}
    answered = _first_responses([t.pk for t in tickets if t.pk not in records])
    new, old, moved = [], [], []
    for ticket in tickets:
        policy = policies.get((ticket.priority, ticket.category_id)) or policies.get(
            (ticket.priority, None)
        )
        record = records.get(ticket.pk)
        if record is None and policy is not None:
            record = TicketSLA(ticket=ticket, paused_at=now if ticket.status in STOPPED else None)
            _targets(record, policy)
            _plan(record, created_at=ticket.created_at, calendar=calendar)
            if ticket.pk in answered:  # staff answered before any policy applied
                _breaches(record, answered[ticket.pk])
                record.response_done_at = answered[ticket.pk]
                record.response_remaining_seconds = None
            _breaches(record, now)
            for name, _ in TARGETS:
                if getattr(record, f"{name}_breached_at") is not None:
                    setattr(record, f"{name}_warned_at", now)
                    setattr(record, f"{name}_notified_at", now)
            new.append(record)
        elif record is not None:
            _targets(record, policy)
            _plan(record, created_at=ticket.created_at, calendar=calendar)
            old.append(record)
        due = record.nearest_due() if record is not None else None
        if ticket.sla_due_at != due:
            ticket.sla_due_at = due
            moved.append(ticket)
    TicketSLA.objects.bulk_create(new)
    TicketSLA.objects.bulk_update(old, STATE_FIELDS)
    Ticket.objects.bulk_update(moved, ["sla_due_at"])
