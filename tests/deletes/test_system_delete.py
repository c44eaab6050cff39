"""Deleting the whole System: the owner schedules it with his password and the typed
subdomain, every page shows a banner, he undoes it (button or emailed link) and may
schedule it again; once due the subdomain answers 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, Role
from tenants.lifecycle import deletion
from tenants.models import ScheduledDeletion
from tests.factories import PASSWORD, UserFactory
from tests.support.tenancy import client_for, host_of, in_schema


def schedule(client, system, password=PASSWORD, subdomain=None, capture=None):
    def post():
        return client.post(
            "/settings/delete/",
            {"password": password, "subdomain": system.slug if subdomain is None else subdomain},
            follow=True,
        )

    if capture is None:
        return post()
    with capture(execute=True):
        return post()


@pytest.fixture
def capture_mail(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def undo_link() -> str:
    (message,) = [m for m in mail.outbox if "will be deleted" in m.subject]
    return re.search(r"https?://\S+/settings/delete/undo/\S+/", message.body).group(0)


def test_the_owner_schedules_the_deletion_and_gets_an_undo_link(system_a, owner_a, capture_mail):
    client = client_for(system_a, owner_a)
    page = client.get("/settings/delete/").content.decode()
    assert "Type the address of this help desk" in page
    start = timezone.now()

    response = schedule(client, system_a, capture=capture_mail)

    body = response.content.decode()
    assert "will be deleted on" in body and "Undo the deletion" in body
    pending = ScheduledDeletion.objects.get(system=system_a, cancelled_at__isnull=True)
    grace = timedelta(days=settings.SYSTEM_DELETION_GRACE_DAYS)
    assert start + grace <= pending.due_at <= timezone.now() + grace
    assert pending.requested_by_email == owner_a.email
    link = undo_link()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in pending.undo_token_hash and len(pending.undo_token_hash) == 64
    with in_schema(system_a):
        assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETION_SCHEDULED).exists()


@pytest.mark.parametrize(
    ("password", "subdomain", "error"),
    [
        ("wrong-password", None, "That is not your password."),
        (PASSWORD, "alpha-typo", "Type alpha to confirm."),
    ],
)
def test_a_wrong_password_or_subdomain_schedules_nothing_and_keeps_the_input(
    system_a, owner_a, password, subdomain, error
):
    response = schedule(client_for(system_a, owner_a), system_a, password, subdomain)

    assert response.status_code == 400
    body = response.content.decode()
    assert error in body
    assert f'value="{subdomain or system_a.slug}"' in body
    assert not ScheduledDeletion.objects.filter(system=system_a).exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AGENT, Role.MEMBER])
def test_only_the_owner_may_delete_the_system(system_a, role):
    with in_schema(system_a):
        person = UserFactory(role=role)
    client = client_for(system_a, person)

    assert client.get("/settings/delete/").status_code == 403
    assert schedule(client, system_a).status_code == 403
    assert client.post("/settings/delete/undo/").status_code == 403
    assert not ScheduledDeletion.objects.filter(system=system_a).exists()


def test_every_page_shows_the_banner_and_only_the_owner_gets_the_undo_button(
    system_a, owner_a, agent_a
):
    owner = client_for(system_a, owner_a)
    schedule(owner, system_a)

    for path in ("/", "/tickets/", "/account/security/"):
        assert "This help desk will be deleted on" in owner.get(path).content.decode()
    agent_page = client_for(system_a, agent_a).get("/").content.decode()
    assert "This help desk will be deleted on" in agent_page
    assert "Only the owner can undo it." in agent_page
    assert 'action="/settings/delete/undo/"' in owner.get("/").content.decode()


def test_the_owner_undoes_it_and_may_schedule_it_again(system_a, owner_a):
    client = client_for(system_a, owner_a)
    schedule(client, system_a)

    response = client.post("/settings/delete/undo/", follow=True)

    assert "The deletion is undone" in response.content.decode()
    assert "will be deleted on" not in client.get("/").content.decode()
    assert not ScheduledDeletion.objects.filter(system=system_a, cancelled_at__isnull=True).exists()
    schedule(client, system_a)
    assert ScheduledDeletion.objects.filter(system=system_a).count() == 2
    assert ScheduledDeletion.objects.filter(system=system_a, cancelled_at__isnull=True).count() == 1
    with in_schema(system_a):
        actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count(AuditEvent.Action.DELETION_SCHEDULED) == 2
    assert actions.count(AuditEvent.Action.DELETION_CANCELLED) == 1


def test_scheduling_twice_is_refused(system_a, owner_a):
    with in_schema(system_a):
        deletion.deletion_schedule(
            actor=owner_a, system=system_a, password=PASSWORD, subdomain=system_a.slug
        )
        with pytest.raises(Exception, match="already scheduled"):
            deletion.deletion_schedule(
                actor=owner_a, system=system_a, password=PASSWORD, subdomain=system_a.slug
            )


def test_the_emailed_link_undoes_it_once(system_a, owner_a, capture_mail):
    client = client_for(system_a, owner_a)
    schedule(client, system_a, capture=capture_mail)
    path = "/" + undo_link().split("/", 3)[3]

    confirm = client.get(path)
    assert confirm.status_code == 200 and "Keep Alpha Support?" in confirm.content.decode()
    assert (
        ScheduledDeletion.objects.get(system=system_a).cancelled_at is None
    )  # GET changes nothing
    response = client.post(path, follow=True)

    assert "The deletion is undone" in response.content.decode()
    assert client.get(path).status_code == 404
    assert client.get("/settings/delete/undo/not-the-token/").status_code == 404


def test_the_emailed_link_needs_the_owner_signed_in(system_a, owner_a, agent_a, capture_mail):
    schedule(client_for(system_a, owner_a), system_a, capture=capture_mail)
    path = "/" + undo_link().split("/", 3)[3]

    anonymous = Client(HTTP_HOST=host_of(system_a)).post(path)
    agent = client_for(system_a, agent_a).post(path)

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert agent.status_code == 403
    assert ScheduledDeletion.objects.get(system=system_a).cancelled_at is None


def test_after_the_grace_period_the_subdomain_answers_404(system_a, owner_a):
    client = client_for(system_a, owner_a)
    schedule(client, system_a)
    pending = ScheduledDeletion.objects.get(system=system_a)

    with time_machine.travel(pending.due_at - timedelta(minutes=1)):
        assert client_for(system_a, owner_a).get("/").status_code == 200
    with time_machine.travel(pending.due_at + timedelta(seconds=1)):
        assert client_for(None).get("/", HTTP_HOST=host_of(system_a)).status_code == 404
        assert Client(HTTP_HOST=host_of(system_a)).get("/accounts/login/").status_code == 404
        with in_schema(system_a), pytest.raises(Exception, match="too late"):
            deletion.deletion_cancel(actor=owner_a, system=system_a)


def test_a_pending_deletion_costs_no_extra_query(system_a, owner_a, capture_mail):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(system_a, owner_a)
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    schedule(client, system_a, capture=capture_mail)
    client.get("/")
    with CaptureQueriesContext(connection) as after:
        assert "will be deleted" in client.get("/").content.decode()

    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_owner_of_a_suspended_system_can_still_schedule_and_undo(
    system_a, owner_a, capture_mail
):
    system_a.status = system_a.Status.SUSPENDED
    system_a.save(update_fields=["status"])
    client = client_for(system_a, owner_a)

    assert client.get("/tickets/").status_code == 403  # the notice: pay first
    assert schedule(client, system_a, capture=capture_mail).status_code == 200
    assert ScheduledDeletion.objects.filter(system=system_a, cancelled_at__isnull=True).exists()
    assert client.post("/settings/delete/undo/").status_code == 302
    assert not ScheduledDeletion.objects.filter(system=system_a, cancelled_at__isnull=True).exists()
