"""Writes of the set-up checklist: a person hides it for himself."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from accounts.permissions import require
from tickets.onboarding.models import ChecklistHidden
from tickets.onboarding.selectors import SETUP_PERMS


@transaction.atomic
def checklist_hide(*, actor: User) -> None:
    """Hide the checklist from ``actor``'s dashboard for good (idempotent).

    No audit row: it changes what one person sees, nothing of the System.
    """
    for perm in SETUP_PERMS:
        require(actor, perm)
    ChecklistHidden.objects.get_or_create(user=actor)
