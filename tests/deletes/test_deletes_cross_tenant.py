"""The URLs of deletes, for every role of System B holding B's session cookie at A's host:
exactly what an anonymous visitor gets, and never A's data (the matrix does it for B's
owner; here every role, with B letting its agents use the trash)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role
from tenants.models import ScheduledDeletion
from tests.factories import UserFactory
from tests.support.canary import seed_canary
from tests.support.tenancy import client_for, host_of, in_schema
from tests.support.urls import endpoints

NAMES = {
    "ticket_trash",
    "attachment_trash",
    "trash",
    "trash_ticket_restore",
    "trash_ticket_purge",
    "trash_file_restore",
    "trash_file_purge",
    "agents_may_delete",
    "person_delete",
    "account_delete",
    "system_delete",
    "system_delete_undo",
    "system_delete_undo_link",
}
ENDPOINTS = [e for e in endpoints(settings.ROOT_URLCONF) if e.name in NAMES]


def test_every_url_of_deletes_is_covered():
    assert {e.name for e in ENDPOINTS} == NAMES


@pytest.mark.parametrize("name", sorted(NAMES))
@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.AGENT, Role.MEMBER])
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_role_of_system_b_reaches_system_a(name, role, method, system_a, system_b):
    samples, secrets = seed_canary(system_a)
    (endpoint,) = [e for e in endpoints(settings.ROOT_URLCONF, samples) if e.name == name]
    system_b.agents_may_delete = True
    system_b.save(update_fields=["agents_may_delete"])
    with in_schema(system_b):
        person = UserFactory(role=role, email=f"{role}@bravo.example")
    host_a = host_of(system_a)

    anonymous = getattr(Client(HTTP_HOST=host_a), method)(endpoint.path)
    crossed = getattr(client_for(system_b, person), method)(endpoint.path, HTTP_HOST=host_a)

    assert (crossed.status_code, crossed.headers.get("Location", "")) == (
        anonymous.status_code,
        anonymous.headers.get("Location", ""),
    )
    assert anonymous.status_code in {302, 404, 405}
    body = crossed.content.decode(errors="replace")
    for secret in secrets:
        assert secret not in body
    # Nothing of A changed: its trash, its people, its pending deletion.
    with in_schema(system_a):
        from tickets.models import Attachment, Ticket

        assert Ticket.objects.filter(deleted_at__isnull=False).count() == 1
        assert Attachment.objects.filter(deleted_at__isnull=False).count() == 1
    assert ScheduledDeletion.objects.filter(system=system_a, cancelled_at__isnull=True).exists()
