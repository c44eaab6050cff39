import pytest

from tests.support.tenancy import client_for


@pytest.fixture
def admin_client(system_a, admin_a):
    return client_for(system_a, admin_a)


@pytest.fixture
def agents_may_delete(system_a):
    system_a.agents_may_delete = True
    system_a.save(update_fields=["agents_may_delete"])
    return system_a
