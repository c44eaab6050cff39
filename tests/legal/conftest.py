import pytest

from accounts.models import Role
from tests.factories import UserFactory
from tests.support.tenancy import in_schema


@pytest.fixture
def admin_a_legal(system_a):
    with in_schema(system_a):
        return UserFactory(email="ada@alpha.example", full_name="Ada Admin", role=Role.ADMIN)


@pytest.fixture
def member_a_legal(system_a):
    with in_schema(system_a):
        return UserFactory(email="mel@alpha.example", full_name="Mel Member", role=Role.MEMBER)
