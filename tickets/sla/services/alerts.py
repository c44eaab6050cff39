"""Warnings before a breach and the breach mail, each once per ticket and target.

Beat runs this in every System each minute. A target due within SLA_WARN_BEFORE minutes
warns its assignee (every agent when nobody has the ticket); a target past due records
the breach and tells the admins. Each is claimed by a conditional UPDATE that only one run
can win, even with two beats racing, and its mail leaves when that claim commits. A
suspended System's mail is silenced like all its ticket mail (the claim still counts).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Role, User
from servicedesk import mail
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import System
from tickets import hooks
from tickets.sla.display import duration_text
from tickets.sla.models import TARGETS, TicketSLA
from tickets.sla.selectors import business_hours

if TYPE_CHECKING:  # dev-only stubs: a name for "str or lazy str"
    from django_stubs_ext import StrOrPromise

STAFF_ROLES = (Role.OWNER, Role.ADMIN, Role.AGENT)
ADMIN_ROLES = (Role.OWNER, Role.ADMIN)
# What the mail doesn't need of a ticket.
HEAVY = ("description", "description_html", "search_vector", "note_vector")


def _people(*, roles: tuple[str, ...]) -> list[str]:
    return list(
        User.objects.filter(role__in=roles, is_active=True, suspended_at__isnull=True)
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _warned_people(row: TicketSLA) -> list[str]:
    assignee = row.ticket.assignee
    if assignee is not None and assignee.is_active and not assignee.is_suspended:
        return [assignee.email]
    return _people(roles=STAFF_ROLES)


def _claimed(row: TicketSLA, name: str, due: datetime, *, late: bool, now: datetime) -> bool:
    """Take the mail for this target, unless another run did, or the target moved or was
    met since it was read. A breach also counts as warned (no warning after it)."""
    still = {
        f"{name}_due_at": due,
        f"{name}_done_at__isnull": True,
        f"{name}_notified_at__isnull": True,
    }
    values: dict[str, object] = {
        f"{name}_notified_at": now,
        f"{name}_breached_at": Coalesce(F(f"{name}_breached_at"), due),
        f"{name}_warned_at": Coalesce(F(f"{name}_warned_at"), now),
    }
    if not late:
        still[f"{name}_warned_at__isnull"] = True
        values = {f"{name}_warned_at": now}
    return TicketSLA.objects.filter(pk=row.pk, **still).update(**values) == 1


def sla_alerts_send(*, now: datetime | None = None) -> tuple[int, int]:
    """Claim and send what is due in this System: (warnings, breaches)."""
    now = now or timezone.now()
    ahead = now + timedelta(minutes=settings.SLA_WARN_BEFORE)
    system: System | None = None
    zone = None
    warned = breached = 0
    for name, label in TARGETS:
        rows = (
            TicketSLA.objects.filter(
                **{
                    f"{name}_done_at__isnull": True,
                    f"{name}_notified_at__isnull": True,
                    f"{name}_due_at__lte": ahead,
                },
                ticket__deleted_at__isnull=True,
            )
            .select_related("ticket", "ticket__assignee")
            .defer(*(f"ticket__{field}" for field in HEAVY))
            .order_by(f"{name}_due_at")
        )
        for row in rows:
            due: datetime = getattr(row, f"{name}_due_at")
            late = due <= now
            if not late and getattr(row, f"{name}_warned_at") is not None:
                continue
            if system is None:
                system = System.objects.get(schema_name=current_schema())
                zone = business_hours().time_zone
            with transaction.atomic():
                if not _claimed(row, name, due, late=late, now=now):
                    continue
                to = _people(roles=ADMIN_ROLES) if late else _warned_people(row)
                _send(
                    to=to,
                    template="sla_breached" if late else "sla_warning",
                    system=system,
                    row=row,
                    label=label,
                    due=due,
                    now=now,
                    zone=zone or "UTC",
                )
                if late:
                    hooks.ticket_sla_breached(ticket=row.ticket, target=name, due_at=due)
            if late:
                breached += 1
            else:
                warned += 1
    return warned, breached


def _send(
    *,
    to: list[str],
    template: str,
    system: System,
    row: TicketSLA,
    label: StrOrPromise,  # lazy: each reader's mail says it in his language
    due: datetime,
    now: datetime,
    zone: str,
) -> None:
    ticket = row.ticket
    mail.send_templated(
        to=to,
        template=template,
        context={
            "system": system,
            "ticket": ticket,
            "target": label,
            "due_at": due.astimezone(ZoneInfo(zone)),
            "zone": zone,
            "left": duration_text(due - now),
            "ticket_url": tenant_selectors.system_url(
                system=system, path=f"/tickets/{ticket.number}/"
            ),
        },
    )
