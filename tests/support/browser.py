"""Helpers for Playwright journeys."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from django.core import mail

_axe = Axe()


def assert_accessible(page, *, impacts=("serious", "critical")) -> None:
    """axe-core finds no serious or critical violation on the page as it stands."""
    results = _axe.run(page)
    found = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in impacts
    ]
    assert not found, "accessibility violations:\n" + "\n".join(found)


def link_from_mail(pattern: str, *, to: str) -> str:
    """The first link matching ``pattern`` in the newest email sent to ``to``."""
    for message in reversed(mail.outbox):
        if to in message.to:
            match = re.search(pattern, message.body)
            if match:
                return match.group(0)
    raise AssertionError(f"no email to {to} with a link like {pattern!r}")
