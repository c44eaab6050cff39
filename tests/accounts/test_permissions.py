"""Every cell of the role-by-permission matrix (the README's table), written out by hand so
the test can disagree with accounts/permissions.py."""

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import Perm, assignable_roles, can
from tests.factories import UserFactory
from tests.support.tenancy import in_schema

OW, A, G, M = Role.OWNER, Role.ADMIN, Role.AGENT, Role.MEMBER
EXPECTED = {
    #                          owner  admin  agent  member
    Perm.VIEW_PEOPLE:        {OW: 1, A: 1, G: 0, M: 0},
    Perm.INVITE:             {OW: 1, A: 1, G: 0, M: 0},
    Perm.MANAGE_INVITATIONS: {OW: 1, A: 1, G: 0, M: 0},
    Perm.CHANGE_ROLE:        {OW: 1, A: 1, G: 0, M: 0},
    Perm.DEACTIVATE:         {OW: 1, A: 1, G: 0, M: 0},
    Perm.REACTIVATE:         {OW: 1, A: 1, G: 0, M: 0},
    Perm.TRANSFER_OWNERSHIP: {OW: 1, A: 0, G: 0, M: 0},
    Perm.VIEW_AUDIT:         {OW: 1, A: 1, G: 0, M: 0},
    Perm.VIEW_OPERATOR_ACCESS: {OW: 1, A: 1, G: 0, M: 0},
    Perm.ANSWER_TAKEDOWNS:   {OW: 1, A: 1, G: 0, M: 0},
    Perm.VIEW_BILLING:       {OW: 1, A: 1, G: 0, M: 0},
    Perm.MANAGE_BILLING:     {OW: 1, A: 0, G: 0, M: 0},
    Perm.CHANGE_SETTINGS:    {OW: 1, A: 0, G: 0, M: 0},
    Perm.OPEN_SYSTEM:        {OW: 1, A: 0, G: 0, M: 0},
    Perm.TICKET_CREATE:      {OW: 1, A: 1, G: 1, M: 1},
    Perm.TICKET_VIEW_ALL:    {OW: 1, A: 1, G: 1, M: 0},
    Perm.TICKET_WORK:        {OW: 1, A: 1, G: 1, M: 0},
    Perm.MANAGE_CATEGORIES:  {OW: 1, A: 1, G: 0, M: 0},
    Perm.EXPORT_DATA:        {OW: 1, A: 1, G: 0, M: 0},
    Perm.DELETE_SYSTEM:      {OW: 1, A: 0, G: 0, M: 0},
    Perm.REQUEST_RESTORE:    {OW: 1, A: 1, G: 0, M: 0},
    Perm.TRASH:              {OW: 1, A: 1, G: 0, M: 0},
    Perm.MODERATE_MESSAGES:  {OW: 1, A: 1, G: 0, M: 0},
    Perm.MANAGE_MAIL:        {OW: 1, A: 1, G: 0, M: 0},
    Perm.MANAGE_SLA:         {OW: 1, A: 1, G: 0, M: 0},
    Perm.MANAGE_FIELDS:      {OW: 1, A: 1, G: 0, M: 0},
    Perm.MANAGE_SHARED_TOOLS: {OW: 1, A: 1, G: 0, M: 0},
    Perm.MANAGE_HELP_CENTER: {OW: 1, A: 1, G: 0, M: 0},
    Perm.VIEW_REPORTS:       {OW: 1, A: 1, G: 1, M: 0},
    Perm.MANAGE_WEBHOOKS:    {OW: 1, A: 1, G: 0, M: 0},
    Perm.MANAGE_SSO:         {OW: 1, A: 1, G: 0, M: 0},
    Perm.MANAGE_API_TOKENS:  {OW: 1, A: 1, G: 0, M: 0},
}  # fmt: skip


def test_the_matrix_names_every_permission():
    assert set(EXPECTED) == set(Perm)


@pytest.mark.parametrize("perm", list(Perm))
@pytest.mark.parametrize("role", [OW, A, G, M])
def test_each_role_has_exactly_its_permissions(system_a, perm, role):
    with in_schema(system_a):
        user = UserFactory(role=role)
    assert can(user, perm) is bool(EXPECTED[perm][role])


@pytest.mark.parametrize("perm", [Perm.CHANGE_ROLE, Perm.DEACTIVATE, Perm.REACTIVATE])
@pytest.mark.parametrize("actor_role", [OW, A])
def test_nobody_changes_the_owner_or_himself_this_way(system_a, perm, actor_role):
    with in_schema(system_a):
        owner = UserFactory(role=OW) if actor_role != OW else None
        actor = UserFactory(role=actor_role)
        owner = owner or actor
        other_admin = UserFactory(role=A)
        agent = UserFactory(role=G)

    assert can(actor, perm, target=agent)
    assert can(actor, perm, target=other_admin)
    assert not can(actor, perm, target=actor)
    assert not can(actor, perm, target=owner)


def test_ownership_goes_only_to_another_active_account(system_a):
    with in_schema(system_a):
        owner = UserFactory(role=OW)
        admin = UserFactory(role=A)
        gone = UserFactory(role=G, is_active=False)

    assert can(owner, Perm.TRANSFER_OWNERSHIP, target=admin)
    assert not can(owner, Perm.TRANSFER_OWNERSHIP, target=owner)
    assert not can(owner, Perm.TRANSFER_OWNERSHIP, target=gone)


@pytest.mark.parametrize("state", [{"is_active": False}, {"suspended_at": timezone.now()}])
@pytest.mark.parametrize("role", [OW, A])
def test_deactivated_or_suspended_accounts_may_do_nothing(system_a, role, state):
    with in_schema(system_a):
        user = UserFactory(role=role, **state)
    assert not any(can(user, perm) for perm in Perm)


def test_nobody_may_hand_out_the_owner_role(system_a):
    with in_schema(system_a):
        owner, admin, agent = UserFactory(role=OW), UserFactory(role=A), UserFactory(role=G)
    assert Role.OWNER not in assignable_roles(owner)
    assert assignable_roles(admin) == [A, G, M]
    assert assignable_roles(agent) == []
