import pytest

from tests.support.tenancy import client_for


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
