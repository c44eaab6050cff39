import pytest

from accounts.models import Role
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema


@pytest.fixture
def admin_a(system_a):
    with in_schema(system_a):
        return UserFactory(email="admin@alpha.example", full_name="Ada Admin", role=Role.ADMIN)


@pytest.fixture
def member_a(system_a):
    with in_schema(system_a):
        return UserFactory(email="member@alpha.example", full_name="Mo Member", role=Role.MEMBER)


@pytest.fixture
def admin_client_a(system_a, admin_a):
    return client_for(system_a, admin_a)


@pytest.fixture
def seat_cap(system_a):
    """Set System A's seat cap: ``seat_cap(3)``."""

    def set_cap(cap: int) -> None:
        system_a.seat_cap = cap
        system_a.save(update_fields=["seat_cap"])

    return set_cap
