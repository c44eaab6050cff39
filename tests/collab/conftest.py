import re

import pytest

from accounts.models import Role
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema


@pytest.fixture
def omar_a(system_a):
    """A second agent of System A, to work beside ``agent_a``."""
    with in_schema(system_a):
        return UserFactory(email="omar@alpha.example", full_name="Omar Other", role=Role.AGENT)


@pytest.fixture
def agent_client(system_a, agent_a):
    return client_for(system_a, agent_a)


@pytest.fixture
def omar_client(system_a, omar_a):
    return client_for(system_a, omar_a)


def hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)
