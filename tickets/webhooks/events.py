"""The events an endpoint may choose, in the order the form lists them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENTS = (
    ("ticket.created", _("A ticket was raised")),
    ("ticket.updated", _("A ticket's fields changed (status, priority, assignee…)")),
    ("ticket.replied", _("A public reply was added to a ticket")),
    ("ticket.solved", _("A ticket was solved")),
    ("ticket.sla_breached", _("A ticket missed an SLA target")),
    ("person.joined", _("Someone joined the System")),
    ("person.left", _("Someone was deactivated or deleted")),
)
NAMES = frozenset(name for name, _label in EVENTS)
# Sent by "Send test event" only; nobody subscribes to it.
PING = "ping"
