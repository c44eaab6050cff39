"""Data only System A holds, for the cross-tenant matrix.

Every later feature adds its objects here and returns the URL keyword values that point
at them (a ticket number, an attachment id...), so the matrix requests A's real objects.
"""

from __future__ import annotations

from accounts.models import User
from tenants.models import System
from tests.factories import UserFactory
from tests.support.tenancy import CANARY_A, in_schema


def seed_canary(system: System) -> tuple[dict[str, str], list[str]]:
    """Create A's canary rows; return (URL samples, strings that must never leak)."""
    with in_schema(system):
        owner = User.objects.filter(role=User.Role.OWNER).first() or UserFactory(
            role=User.Role.OWNER, full_name=f"Olga {CANARY_A}", email="owner@alpha.example"
        )
    samples = {"pk": str(owner.pk), "user_id": str(owner.pk)}
    secrets = [CANARY_A, owner.email]
    return samples, secrets
