"""API tokens: made once, kept hashed, scoped, expiring, revocable, dead with their
person, and audited."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone

from accounts.api.auth import TokenAuth
from accounts.apitokens.models import ApiToken, Scope
from accounts.apitokens.services import api_token_create, api_token_revoke
from accounts.models import AuditEvent, User
from accounts.services.seats import user_deactivate
from tests.api.conftest import bearer_client
from tests.support.tenancy import in_schema
from tickets.models import Ticket


def test_only_the_hash_and_a_short_prefix_are_kept(system_a, agent_a):
    with in_schema(system_a):
        issued = api_token_create(actor=agent_a, name="CRM", scope=Scope.READ)
        row = ApiToken.objects.get()
        stored = " ".join(str(v) for v in ApiToken.objects.values_list().get())

    assert issued.secret.startswith("sdt_") and len(issued.secret) > 40
    assert row.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert row.prefix == issued.secret[:12]
    assert issued.secret not in stored


def test_a_read_token_reads_but_may_not_write(system_a, agent_a, make_ticket, api_for):
    make_ticket(agent_a)
    client = api_for(agent_a, scope=Scope.READ)

    assert client.get("/api/v1/tickets").status_code == 200
    refused = client.post(
        "/api/v1/tickets", {"subject": "x", "description": "y"}, content_type="application/json"
    )

    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:servicedesk:problem:insufficient-scope"
    assert 'error="insufficient_scope"' in refused["WWW-Authenticate"]
    with in_schema(system_a):
        assert Ticket.objects.count() == 1


def test_a_token_never_exceeds_its_persons_role(system_a, agent_a, member_a):
    with in_schema(system_a), pytest.raises(ValidationError):
        api_token_create(actor=agent_a, name="Too much", scope=Scope.ADMIN)
    with in_schema(system_a), pytest.raises(ValidationError):
        api_token_create(actor=member_a, name="Too much", scope=Scope.ADMIN)


def test_a_member_may_make_a_personal_write_token_but_no_system_token(system_a, member_a):
    with in_schema(system_a):
        assert api_token_create(actor=member_a, name="Mine", scope=Scope.WRITE).token.pk
        with pytest.raises(PermissionDenied, match="manage_api_tokens"):
            api_token_create(
                actor=member_a, name="Ours", scope=Scope.READ, kind=ApiToken.Kind.SYSTEM
            )


def test_an_expired_token_is_a_401(system_a, agent_a, token_for):
    secret = token_for(agent_a, expires_at=timezone.now() + timedelta(days=30))
    client = bearer_client(system_a, secret)
    assert client.get("/api/v1/tickets").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=30, seconds=1)):
        response = client.get("/api/v1/tickets")

    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_revoked_token_stops_at_its_next_call(system_a, agent_a, token_for):
    secret = token_for(agent_a)
    client = bearer_client(system_a, secret)
    assert client.get("/api/v1/tickets").status_code == 200

    with in_schema(system_a):
        api_token_revoke(actor=agent_a, token=ApiToken.objects.get())

    assert client.get("/api/v1/tickets").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(system_a, agent_a, token_for):
    client = bearer_client(system_a, token_for(agent_a))
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        client.get("/api/v1/tickets")
    with in_schema(system_a):
        first = ApiToken.objects.get().last_used_at
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get("/api/v1/tickets")
    with in_schema(system_a):
        assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get("/api/v1/tickets")
    with in_schema(system_a):
        assert ApiToken.objects.get().last_used_at == start + timedelta(seconds=61)
    assert first == start


def test_a_deactivated_persons_tokens_stop_working(system_a, owner_a, agent_a, token_for):
    client = bearer_client(system_a, token_for(agent_a))
    assert client.get("/api/v1/tickets").status_code == 200

    with in_schema(system_a):
        user_deactivate(actor=owner_a, user=agent_a)

    assert client.get("/api/v1/tickets").status_code == 401


def test_a_system_token_dies_when_its_maker_is_no_longer_an_admin(system_a, admin_a, token_for):
    client = bearer_client(system_a, token_for(admin_a, kind=ApiToken.Kind.SYSTEM))
    assert client.get("/api/v1/tickets").status_code == 200

    with in_schema(system_a):
        User.objects.filter(pk=admin_a.pk).update(role=User.Role.AGENT)

    assert client.get("/api/v1/tickets").status_code == 401


def test_creation_revocation_and_admin_scope_calls_are_audited(system_a, admin_a, api_for):
    with in_schema(system_a):
        issued = api_token_create(actor=admin_a, name="Ops", scope=Scope.ADMIN)
        request = RequestFactory().get("/api/v1/people", HTTP_AUTHORIZATION="x")
        request.system = system_a
        assert TokenAuth(scope=Scope.ADMIN).authenticate(request, issued.secret) is not None
        api_token_revoke(actor=admin_a, token=issued.token)
        actions = list(
            AuditEvent.objects.order_by("id").values_list("action", "target_label", "actor_id")
        )

    assert actions == [
        (AuditEvent.Action.API_TOKEN_CREATED, f"Ops ({issued.token.prefix}…)", admin_a.pk),
        (AuditEvent.Action.API_ADMIN_CALL, "GET /api/v1/people", admin_a.pk),
        (AuditEvent.Action.API_TOKEN_REVOKED, f"Ops ({issued.token.prefix}…)", admin_a.pk),
    ]


def test_an_admin_scope_token_calling_an_ordinary_endpoint_is_not_audited_as_admin(
    system_a, admin_a, api_for
):
    client = api_for(admin_a, scope=Scope.ADMIN)

    assert client.get("/api/v1/tickets").status_code == 200

    with in_schema(system_a):
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.API_ADMIN_CALL).exists()
