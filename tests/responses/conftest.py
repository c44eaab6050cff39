import pytest

from accounts.models import Role
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema
from tickets.responses.models import AssignTo, CannedResponse, Macro


@pytest.fixture
def other_agent_a(system_a):
    with in_schema(system_a):
        return UserFactory(email="olli@alpha.example", full_name="Olli Other", role=Role.AGENT)


@pytest.fixture
def agent_client(system_a, agent_a):
    return client_for(system_a, agent_a)


@pytest.fixture
def admin_client(system_a, admin_a):
    return client_for(system_a, admin_a)


@pytest.fixture
def make_response(system_a):
    """``make_response(name, body, owner=None)``: a canned response in System A (shared
    when ``owner`` is None), written as a row: the services are what the tests check."""

    def make(name, body="Hello {{ requester.first_name }}", owner=None):
        with in_schema(system_a):
            return CannedResponse.objects.create(name=name, body=body, owner=owner)

    return make


@pytest.fixture
def make_macro(system_a):
    def make(name="Waiting on you", owner=None, **fields):
        fields.setdefault("assign_to", AssignTo.LEAVE)
        with in_schema(system_a):
            return Macro.objects.create(name=name, owner=owner, **fields)

    return make
