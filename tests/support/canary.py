"""Data only System A holds, for the cross-tenant matrix.

Every later feature adds its objects here and returns the URL keyword values that point
at them (a ticket number, an attachment id...), so the matrix requests A's real objects.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Invitation, User
from servicedesk.tokens import new_token
from tenants.models import System
from tests.factories import UserFactory
from tests.support.tenancy import CANARY_A, in_schema


def seed_canary(system: System) -> tuple[dict[str, str], list[str]]:
    """Create A's canary rows; return (URL samples, strings that must never leak)."""
    with in_schema(system):
        owner = User.objects.filter(role=User.Role.OWNER).first() or UserFactory(
            role=User.Role.OWNER, full_name=f"Olga {CANARY_A}", email="owner@alpha.example"
        )
        member = UserFactory(role=User.Role.MEMBER, email="member@alpha.example")
        invitation = Invitation.objects.create(
            email=f"invitee-{CANARY_A.lower()}@alpha.example",
            role=User.Role.AGENT,
            token_hash=new_token()[1],
            invited_by=owner,
            invited_by_name=owner.full_name,
            expires_at=timezone.now() + timedelta(days=7),
        )
    samples = {"pk": str(owner.pk), "user_id": str(member.pk), "invitation_id": str(invitation.pk)}
    secrets = [CANARY_A, owner.email, member.email]
    return samples, secrets
