from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from accounts.models import Role, User
from accounts.services.seats import user_register
from tenants.billing.models import Plan, PlanChange
from tenants.models import System
from tests.factories import PASSWORD, accept_current_terms
from tests.support.tenancy import in_schema


@pytest.fixture
def plan(db):
    return Plan.objects.create(
        name="Team", price_per_seat=Decimal("10.00"), currency="EUR", seat_cap=50
    )


@pytest.fixture
def big_plan(db):
    return Plan.objects.create(
        name="Business", price_per_seat=Decimal("20.00"), currency="EUR", seat_cap=200
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def subscribe(system: System, plan: Plan, since: datetime) -> System:
    """Put ``system`` on ``plan`` from ``since``, as if it had chosen it then and paid."""
    system.plan = plan
    system.plan_started_at = since
    system.seat_cap = plan.seat_cap
    system.status = System.Status.ACTIVE
    system.save()
    PlanChange.objects.create(
        system=system,
        plan=plan,
        price_per_seat=plan.price_per_seat,
        seat_cap=plan.seat_cap,
        at=since,
        by="test",
    )
    return system


def register(
    system: System, email: str, role: str = Role.AGENT, when: datetime | None = None
) -> User:
    """An account made the real way (a seat in the ledger), at ``when``."""

    def make():
        with in_schema(system):
            user = user_register(
                email=email, full_name=email.split("@")[0].title(), role=role, password=PASSWORD
            )
            accept_current_terms(user)
            return user

    if when is None:
        return make()
    with time_machine.travel(when, tick=False):
        return make()
