"""Reads for service levels: the System's calendar, the policy a ticket falls under, the
ticket page's box and the settings page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.calendar import BusinessCalendar
from tenants.selectors import system_time_zone
from tickets.models import PRIORITY_RANK, Category, Priority, Status, Ticket
from tickets.sla.models import (
    DEFAULT_CLOSES,
    DEFAULT_OPENS,
    DEFAULT_WEEKDAYS,
    TARGETS,
    BusinessHoliday,
    BusinessHours,
    SLAPolicy,
    TicketSLA,
)

if TYPE_CHECKING:  # dev-only stubs: a name for "str or lazy str"
    from django_stubs_ext import StrOrPromise

# Statuses in which no clock runs: waiting on the requester, or done.
STOPPED = frozenset({Status.PENDING, Status.SOLVED, Status.CLOSED})
WEEKDAY_NAMES = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


def business_hours() -> BusinessHours:
    """The System's hours, or the defaults (unsaved) when an admin hasn't set them.

    Their zone is the System's (``System.time_zone``, one truth for its people, its reports
    and its clocks): the row's own column is only kept in step with it, never read."""
    hours = BusinessHours.objects.filter(pk=1).first() or BusinessHours(
        weekdays=DEFAULT_WEEKDAYS, opens=DEFAULT_OPENS, closes=DEFAULT_CLOSES
    )
    hours.time_zone = system_time_zone()
    return hours


def business_calendar(hours: BusinessHours | None = None) -> BusinessCalendar:
    """The System's calendar: its hours and every holiday it keeps (a short table)."""
    hours = hours or business_hours()
    return BusinessCalendar(
        zone=ZoneInfo(hours.time_zone),
        opens=hours.opens,
        closes=hours.closes,
        weekdays=frozenset(hours.days),
        holidays=frozenset(BusinessHoliday.objects.values_list("day", flat=True)),
    )


def policy_for(*, priority: str, category_id: int | None) -> SLAPolicy | None:
    """The policy of a priority within the category, else of the priority alone."""
    candidates = SLAPolicy.objects.filter(priority=priority)
    if category_id is None:
        return candidates.filter(category__isnull=True).first()
    return (
        candidates.filter(Q(category_id=category_id) | Q(category__isnull=True))
        .order_by(F("category_id").asc(nulls_last=True))
        .first()
    )


def policies() -> tuple[dict[str, SLAPolicy], list[SLAPolicy]]:
    """(the policy of each priority, the category policies) for the settings page."""
    by_priority: dict[str, SLAPolicy] = {}
    by_category = []
    for policy in SLAPolicy.objects.select_related("category"):
        if policy.category_id is None:
            by_priority[policy.priority] = policy
        else:
            by_category.append(policy)
    by_category.sort(
        key=lambda p: (p.category.name.lower(), -PRIORITY_RANK.get(Priority(p.priority), 0))  # type: ignore[union-attr]
    )
    return by_priority, by_category


def holidays() -> list[BusinessHoliday]:
    return list(BusinessHoliday.objects.all())


def categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


# --- the ticket page's box ------------------------------------------------------------------


@dataclass(frozen=True)
class TargetView:
    label: StrOrPromise
    due_at: datetime | None  # in the reader's zone
    state: str  # "running", "overdue", "paused", "achieved", "breached", "stopped"
    left: timedelta | None = None  # time left (running), overdue by (overdue), left (paused)
    done_at: datetime | None = None  # in the reader's zone


@dataclass(frozen=True)
class SLABox:
    targets: list[TargetView]
    zone: str


def ticket_sla_box(*, ticket: Ticket, now: datetime | None = None) -> SLABox | None:
    """What the staff sidebar shows of the ticket's SLA; None when no policy applies."""
    try:
        record = ticket.sla  # read with the ticket (ticket_get_for_user), else one query
    except TicketSLA.DoesNotExist:
        return None
    now = now or timezone.now()
    # The reader's zone (the middleware's), named under the box.
    zone = timezone.get_current_timezone()
    targets = []
    for name, label in TARGETS:
        if getattr(record, f"{name}_minutes") is None and record.outcome(name) == "":
            continue
        due = getattr(record, f"{name}_due_at")
        done = getattr(record, f"{name}_done_at")
        outcome = record.outcome(name)
        local_due = due.astimezone(zone) if due else None
        local_done = done.astimezone(zone) if done else None
        if outcome and (done is not None or due is None):
            targets.append(TargetView(label, local_due, outcome, done_at=local_done))
        elif due is not None:
            state = "overdue" if due <= now else "running"
            targets.append(TargetView(label, local_due, state, left=abs(due - now)))
        elif record.paused_at is not None and ticket.status == Status.PENDING:
            targets.append(TargetView(label, None, "paused", left=record.remaining(name)))
        else:
            targets.append(TargetView(label, None, "stopped"))
    if not targets:
        return None
    return SLABox(targets=targets, zone=timezone.get_current_timezone_name())
