"""Placeholders in canned responses and macros: ``{{ requester.first_name }}`` and friends.

Filled in by plain substitution, never by Django's template engine: what agents type stays
text, whatever it looks like (``{% load %}``, ``{{ request }}``…). A text may hold only the
placeholders below; saving one with any other ``{{ … }}`` is refused, naming these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import ngettext

from accounts.models import User
from servicedesk.schema import current_schema
from tenants.models import System
from tickets.models import Ticket

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


@dataclass(frozen=True)
class Context:
    """What placeholders are filled from: the ticket, who uses the text, and the System."""

    ticket: Ticket
    agent: User
    system_name: str


def _first_name(name: str, email: str) -> str:
    return (name.split() or [email])[0]


def _requester_name(context: Context) -> str:
    ticket = context.ticket
    if ticket.requester is not None:
        return ticket.requester.get_full_name()
    if ticket.contact is not None:
        return ticket.contact.get_full_name()
    return ""


def _requester_first_name(context: Context) -> str:
    ticket = context.ticket
    if ticket.requester is not None:
        return ticket.requester.get_short_name()
    if ticket.contact is not None:
        return _first_name(ticket.contact.name, ticket.contact.email)
    return ""


PLACEHOLDERS: dict[str, Callable[[Context], str]] = {
    "requester.first_name": _requester_first_name,
    "requester.name": _requester_name,
    "ticket.number": lambda context: str(context.ticket.number),
    "ticket.subject": lambda context: context.ticket.shown_subject,
    "agent.first_name": lambda context: context.agent.get_short_name(),
    "agent.name": lambda context: context.agent.get_full_name(),
    "system.name": lambda context: context.system_name,
}

KNOWN = ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)


def placeholders_check(*, field: str, text: str) -> None:
    """Refuse ``text`` if it holds a ``{{ … }}`` that is not one of ours."""
    unknown = sorted(
        {
            match.group(0)
            for match in PLACEHOLDER.finditer(text)
            if match.group(1).strip() not in PLACEHOLDERS
        }
    )
    if unknown:
        raise ValidationError(
            {
                field: ngettext(
                    "Unknown placeholder: %(unknown)s. The placeholders are: %(known)s.",
                    "Unknown placeholders: %(unknown)s. The placeholders are: %(known)s.",
                    len(unknown),
                )
                % {"unknown": ", ".join(unknown), "known": KNOWN}
            }
        )


def system_name() -> str:
    """The current System's name, from the request's tenant when routing set it."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, System) and tenant.schema_name == current_schema():
        return tenant.name
    names = System.objects.filter(schema_name=current_schema()).values_list("name", flat=True)
    return next(iter(names), "")


def placeholders_fill(text: str, context: Context) -> str:
    """``text`` with each known placeholder replaced by its value; the rest left as it is."""

    def value(match: re.Match[str]) -> str:
        fill = PLACEHOLDERS.get(match.group(1).strip())
        return fill(context) if fill is not None else match.group(0)

    return PLACEHOLDER.sub(value, text)
