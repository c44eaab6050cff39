"""The rules a page checks before it lets a person in, checked for the token's person on
every API call (the middleware that checks them for pages leaves /api/ alone: it would
answer with a redirect to a page, which a script can't follow).

Built in: the System is working (not suspended or terminated), the account is not
suspended, a second factor where the owner requires one. Apps above accounts add theirs
with ``api_gate`` in their AppConfig.ready() (legal: the terms in effect are accepted).
A gate returns None to let the call through, or the problem to answer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.api.problems import ApiProblem
from accounts.models import User
from accounts.selectors import has_second_factor
from tenants.models import System

Gate = Callable[[HttpRequest, User], ApiProblem | None]
_gates: list[Gate] = []


def api_gate(gate: Gate) -> Gate:
    """Register a gate every API call passes (after the built-in ones)."""
    if gate not in _gates:
        _gates.append(gate)
    return gate


def _system_working(request: HttpRequest, user: User) -> ApiProblem | None:
    system = getattr(request, "system", None)
    if system is None or system.status in {System.Status.TRIAL, System.Status.ACTIVE}:
        return None
    return ApiProblem(
        403,
        "system-unavailable",
        title=_("This help desk is not available."),
        detail=_("The help desk is suspended or closed; its owner sees why on its pages."),
    )


def _not_suspended(request: HttpRequest, user: User) -> ApiProblem | None:
    if not user.is_suspended:
        return None
    return ApiProblem(
        403,
        "account-suspended",
        title=_("This account is suspended."),
        detail=user.suspension_reason,
    )


def _second_factor(request: HttpRequest, user: User) -> ApiProblem | None:
    system = getattr(request, "system", None)
    if system is None or not system.require_second_factor or has_second_factor(user=user):
        return None
    return ApiProblem(
        403,
        "second-factor-required",
        title=_("Two-factor authentication is required."),
        detail=_("Sign in to the help desk and set up an authenticator app, then call again."),
    )


BUILT_IN: tuple[Gate, ...] = (_system_working, _not_suspended, _second_factor)


def gates_check(request: HttpRequest, user: User) -> None:
    """Raise the first gate's problem, if any."""
    for gate in (*BUILT_IN, *_gates):
        problem = gate(request, user)
        if problem is not None:
            raise problem
