"""The demo's canned responses and macro: shared ones, kept by the demo's admin, made
through the services like everything else the demo writes."""

from __future__ import annotations

from collections.abc import Mapping

from accounts.models import User
from tickets.models import Status
from tickets.responses.models import AssignTo, CannedResponse, Macro
from tickets.responses.services import MacroActions, canned_response_create, macro_create

RESPONSES = {
    "Thanks, we're on it": (
        "Hi {{ requester.first_name }},\n\n"
        "Thanks for getting in touch. Your request is ticket #{{ ticket.number }} and we are "
        "looking into it now; we'll write again as soon as we know more.\n\n"
        "{{ agent.first_name }}, {{ system.name }}"
    ),
    "Solved, tell us if not": (
        "Hi {{ requester.first_name }},\n\n"
        "We believe this is fixed now. If anything still doesn't work, just reply to this "
        "message and the ticket opens again.\n\n"
        "Best,\n{{ agent.name }}"
    ),
}
MACRO = "Ask for a screenshot"
MACRO_TEXT = (
    "Hi {{ requester.first_name }},\n\n"
    "Could you send us a screenshot of what you see on your screen when it happens? Attach "
    "it to your reply, or drop it on this page. We'll pick the ticket up as soon as it "
    "arrives.\n\n{{ agent.first_name }}"
)


def responses_fill(*, people: Mapping[str, User]) -> int:
    """Make the demo's shared responses and macro where the System has none of that name.
    Returns how many were made."""
    admin = people["admin"]
    made = 0
    shared = set(CannedResponse.objects.filter(owner__isnull=True).values_list("name", flat=True))
    for name, body in RESPONSES.items():
        if name not in shared:
            canned_response_create(actor=admin, name=name, body=body, shared=True)
            made += 1
    if not Macro.objects.filter(owner__isnull=True, name=MACRO).exists():
        actions = MacroActions(
            body=MACRO_TEXT, status=Status.PENDING, assign_to=AssignTo.ME, tags="needs-info"
        )
        macro_create(actor=admin, name=MACRO, shared=True, actions=actions)
        made += 1
    return made
