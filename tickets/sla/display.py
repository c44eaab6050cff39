"""How SLA times read: "2 h 15 min", and the list's SLA cell."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from tickets.models import Status, Ticket


def duration_text(amount: timedelta | None) -> str:
    """A length of time in words a person reads at a glance: days, hours and minutes, the
    two largest that aren't zero ("3 d 4 h", "2 h 15 min", "45 min", "under a minute")."""
    if amount is None:
        return ""
    minutes = int(abs(amount).total_seconds() // 60)
    if minutes == 0:
        return gettext("under a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        # Translators: short units of a length of time, "3 d 4 h", "2 h 15 min".
        (days, gettext("%(count)s d")),
        (hours, gettext("%(count)s h")),
        (minutes, gettext("%(count)s min")),
    ]
    shown = [unit % {"count": value} for value, unit in parts if value][:2]
    return " ".join(shown)


def sla_cell_html(ticket: Ticket, now: datetime) -> SafeString:
    """The list's SLA cell, from the ticket's own column (no query per row)."""
    due = ticket.sla_due_at
    if due is None:
        if ticket.status == Status.PENDING:
            return format_html('<td class="text-nowrap sla sla-paused">{}</td>', gettext("Paused"))
        return format_html('<td class="text-nowrap sla">{}</td>', "—")
    if due <= now:
        return format_html(
            '<td class="text-nowrap sla sla-breached"><time datetime="{}">{}</time></td>',
            due.isoformat(),
            gettext("%(duration)s over") % {"duration": duration_text(now - due)},
        )
    soon = " sla-soon" if due - now <= timedelta(hours=1) else ""
    return format_html(
        '<td class="text-nowrap sla{}"><time datetime="{}">{}</time></td>',
        soon,
        due.isoformat(),
        gettext("%(duration)s left") % {"duration": duration_text(due - now)},
    )
