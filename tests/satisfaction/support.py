"""Helpers for the tests of satisfaction ratings."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.test import Client

from tests.mail.outbound_support import only, parts
from tests.support.tenancy import host_of, in_schema
from tickets.models import Status
from tickets.services.tickets import ticket_reopen, ticket_update


def solve(system, commit, *, actor, ticket):
    with in_schema(system), commit(execute=True):
        return ticket_update(actor=actor, ticket=ticket, changes={"status": Status.SOLVED}).ticket


def reopen(system, *, actor, ticket):
    with in_schema(system):
        return ticket_reopen(actor=actor, ticket=ticket)


def links(to: str) -> dict[str, str]:
    """The paths of the Good and Bad links of the one mail to ``to``."""
    text, html = parts(only(to))
    found = {}
    for answer, label in (("good", "Good"), ("bad", "Bad")):
        url = re.search(rf"{label}, I'm (?:not )?satisfied: (\S+)", text)
        assert url is not None, text
        assert url.group(1) in html
        found[answer] = urlsplit(url.group(1)).path
    return found


def visitor(system) -> Client:
    return Client(HTTP_HOST=host_of(system))
