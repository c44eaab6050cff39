"""The audit log: append-only, filtered, paginated by position, not by offset."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import AuditEvent
from tests.support.tenancy import client_for, in_schema


def _fill(count: int, **fields) -> None:
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action=fields.get("action", "login"),
            actor_id=fields.get("actor_id"),
            actor_label=fields.get("actor_label", "someone"),
            target_label=f"row {n}",
            created_at=now - timedelta(seconds=n),
        )
        for n in range(count)
    )


def test_rows_cannot_be_changed_or_deleted(system_a, owner_a):
    with in_schema(system_a):
        _fill(1)
        event = AuditEvent.objects.get()
        for attempt in (
            lambda: AuditEvent.objects.filter(pk=event.pk).update(actor_label="forged"),
            lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                attempt()
        assert AuditEvent.objects.get().actor_label == "someone"


def test_owner_and_admins_browse_it_others_cannot(system_a, owner_a, agent_a):
    assert client_for(system_a, owner_a).get("/settings/audit/").status_code == 200
    assert client_for(system_a, agent_a).get("/settings/audit/").status_code == 403


def test_pages_follow_each_other_without_gaps_or_repeats(system_a, owner_a):
    with in_schema(system_a):
        _fill(120, action="invite_sent")
    client = client_for(system_a, owner_a)
    seen, url = [], "/settings/audit/?action=invite_sent"
    while url:
        response = client.get(url)
        seen += [event.target_label for event in response.context["events"]]
        cursor = response.context["next_cursor"]
        url = f"/settings/audit/?action=invite_sent&after={cursor}" if cursor else None
    assert seen == [f"row {n}" for n in range(120)]


def test_filters_by_action_actor_and_dates(system_a, owner_a):
    with in_schema(system_a):
        _fill(3, action="invite_sent", actor_id=owner_a.pk, actor_label="Olga")
        _fill(2, action="login")
    client = client_for(system_a, owner_a)

    by_action = client.get("/settings/audit/", {"action": "invite_sent"}).context["events"]
    by_actor = client.get("/settings/audit/", {"actor": owner_a.pk}).context["events"]
    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    future = client.get("/settings/audit/", {"since": tomorrow}).context["events"]

    assert {e.action for e in by_action} == {"invite_sent"} and len(by_action) == 3
    assert {e.actor_id for e in by_actor} == {owner_a.pk}
    assert future == []


def test_nonsense_filters_are_ignored_not_errors(system_a, owner_a):
    response = client_for(system_a, owner_a).get(
        "/settings/audit/",
        {"action": "drop table", "actor": "x", "since": "yesterday", "after": "!!"},
    )
    assert response.status_code == 200


def test_the_query_count_is_the_same_on_the_first_and_a_deep_page(
    system_a, owner_a, django_assert_max_num_queries
):
    with in_schema(system_a):
        _fill(400)
    client = client_for(system_a, owner_a)
    client.get("/settings/audit/")
    with django_assert_max_num_queries(8) as first:
        response = client.get("/settings/audit/")
    first_count = len(first.captured_queries)
    cursor = response.context["next_cursor"]
    for _ in range(5):
        response = client.get(f"/settings/audit/?after={cursor}")
        cursor = response.context["next_cursor"]
    with django_assert_max_num_queries(first_count):
        client.get(f"/settings/audit/?after={cursor}")
