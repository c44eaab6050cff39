"""The Webhooks settings pages: owner and admins only, another System's people nowhere;
the secret shown once; errors keep what was typed; the log in a fixed number of queries,
with "Resend" (the same Webhook-Id) and "Send test event"."""

from __future__ import annotations

import re

import pytest

from accounts.models import AuditEvent
from tests.support.tenancy import client_for, host_of, in_schema
from tickets.services import tickets as ticket_services
from tickets.webhooks.models import WebhookDelivery, WebhookEndpoint
from tickets.webhooks.verify_example import verify

PAGES = [
    ("get", "/settings/webhooks/"),
    ("get", "/settings/webhooks/new/"),
    ("get", "/settings/webhooks/{id}/"),
    ("post", "/settings/webhooks/{id}/secret/"),
    ("get", "/settings/webhooks/{id}/delete/"),
    ("get", "/settings/webhooks/{id}/deliveries/"),
    ("post", "/settings/webhooks/{id}/ping/"),
]


def test_agents_and_members_get_403_and_another_systems_people_the_sign_in(
    system_a, system_b, agent_a, member_a, user_b, endpoint_a
):
    for person in (agent_a, member_a):
        client = client_for(system_a, person)
        for method, path in PAGES:
            response = getattr(client, method)(path.format(id=endpoint_a.pk))
            assert response.status_code == 403, (person.role, path)
    stranger = client_for(system_b, user_b)  # signed in at B, asking A's host
    for method, path in PAGES:
        response = getattr(stranger, method)(
            path.format(id=endpoint_a.pk), HTTP_HOST=host_of(system_a)
        )
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # At B's own host, A's endpoint does not exist.
    at_b = client_for(system_b, user_b)
    assert at_b.get(f"/settings/webhooks/{endpoint_a.pk}/").status_code == 404
    assert at_b.get(f"/settings/webhooks/{endpoint_a.pk}/deliveries/").status_code == 404


def test_admins_add_an_endpoint_and_see_its_secret_once(system_a, admin_a, receiver):
    client = client_for(system_a, admin_a)
    assert "No endpoints yet" in client.get("/settings/webhooks/").content.decode()
    assert 'href="/settings/webhooks/"' in client.get("/settings/audit/").content.decode()
    response = client.post(
        "/settings/webhooks/new/",
        {"url": receiver.url, "description": "CRM", "events": ["ticket.created", "person.left"]},
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    with in_schema(system_a):
        endpoint = WebhookEndpoint.objects.get()
        assert (
            endpoint.events == ["person.left", "ticket.created"] and endpoint.created_by == admin_a
        )
        assert AuditEvent.objects.filter(target_label="Webhooks").exists()
    assert endpoint.secret in response.content.decode()
    assert endpoint.secret.startswith("whsec_")
    for path in ("/settings/webhooks/", f"/settings/webhooks/{endpoint.pk}/"):
        page = client.get(path).content.decode()
        assert receiver.url in page and endpoint.secret not in page

    rolled = client.post(f"/settings/webhooks/{endpoint.pk}/secret/")
    with in_schema(system_a):
        endpoint.refresh_from_db()
    assert endpoint.secret in rolled.content.decode() and endpoint.previous_secret
    assert endpoint.previous_secret not in rolled.content.decode()


def test_errors_keep_what_was_typed(system_a, owner_a):
    client = client_for(system_a, owner_a)
    response = client.post(
        "/settings/webhooks/new/",
        {"url": "ftp://files.example.com/drop", "description": "Night batch", "events": []},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Use an https:// address." in page and "Choose at least one event." in page
    assert 'value="ftp://files.example.com/drop"' in page and 'value="Night batch"' in page
    response = client.post(
        "/settings/webhooks/new/",
        {"url": "gopher://x", "description": "", "events": ["person.joined"]},
    )
    assert re.search(r'value="person.joined"[^>]*checked', response.content.decode())
    with in_schema(system_a):
        assert not WebhookEndpoint.objects.exists()


def test_switching_an_endpoint_off_and_deleting_it(system_a, admin_a, endpoint_a):
    client = client_for(system_a, admin_a)
    data = {"url": endpoint_a.url, "description": "CRM", "events": ["ticket.created"]}
    response = client.post(f"/settings/webhooks/{endpoint_a.pk}/", data)  # no is_active
    assert response.status_code == 302
    with in_schema(system_a):
        endpoint_a.refresh_from_db()
    assert not endpoint_a.is_active and "Switched off by Ada Admin" in endpoint_a.disabled_reason
    assert endpoint_a.events == ["ticket.created"]
    page = client.get(f"/settings/webhooks/{endpoint_a.pk}/deliveries/").content.decode()
    assert "/ping/" not in page and "Switch it on" in page
    client.post(f"/settings/webhooks/{endpoint_a.pk}/", {**data, "is_active": "on"})
    with in_schema(system_a):
        endpoint_a.refresh_from_db()
    assert endpoint_a.is_active and endpoint_a.disabled_reason == ""

    assert client.get(f"/settings/webhooks/{endpoint_a.pk}/delete/").status_code == 200
    assert client.post(f"/settings/webhooks/{endpoint_a.pk}/delete/").status_code == 302
    with in_schema(system_a):
        assert not WebhookEndpoint.objects.exists()


def test_the_log_resends_with_the_same_webhook_id_and_sends_test_events(
    system_a, admin_a, member_a, endpoint_a, receiver, django_capture_on_commit_callbacks
):
    with in_schema(system_a), django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_create(actor=member_a, subject="Resend me", description=".")
    client = client_for(system_a, admin_a)
    with in_schema(system_a):
        delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/settings/webhooks/{endpoint_a.pk}/deliveries/{delivery.pk}/resend/"
        )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/settings/webhooks/{endpoint_a.pk}/ping/")
    first, again, ping = receiver.received
    assert again.headers["Webhook-Id"] == first.headers["Webhook-Id"]
    assert again.body == first.body and verify(endpoint_a.secret, again.headers, again.body)
    assert (
        ping.event["type"] == "ping" and ping.headers["Webhook-Id"] != first.headers["Webhook-Id"]
    )
    page = client.get(f"/settings/webhooks/{endpoint_a.pk}/deliveries/").content.decode()
    assert page.count("webhook-delivery-succeeded") == 3


@pytest.mark.parametrize("deliveries", [1, 30])
def test_the_log_page_takes_a_fixed_number_of_queries(
    system_a, admin_a, endpoint_a, deliveries, django_assert_num_queries
):
    with in_schema(system_a):
        for n in range(deliveries):
            row = WebhookDelivery.objects.create(
                endpoint=endpoint_a, event="ticket.created", body="{}", attempts=2
            )
            for number in (1, 2):
                row.attempt_log.create(
                    number=number, started_at=row.created_at, status_code=500 + n
                )
    client = client_for(system_a, admin_a)
    client.get(f"/settings/webhooks/{endpoint_a.pk}/deliveries/")
    with django_assert_num_queries(QUERIES):
        response = client.get(f"/settings/webhooks/{endpoint_a.pk}/deliveries/")
        page = response.content.decode()
        assert response.status_code == 200
        assert page.count('class="webhook-delivery ') == min(deliveries, 25)
        assert page.count('class="webhook-attempt-number"') == 2 * min(deliveries, 25)
    if deliveries > 25:
        assert "Page 1 of 2" in page
        assert (
            "Page 2 of 2"
            in client.get(f"/settings/webhooks/{endpoint_a.pk}/deliveries/?page=2").content.decode()
        )


# The page's own three (the count, the page of deliveries, their attempts) and the
# endpoint, on top of what every settings page costs (session, person, the System's gates).
QUERIES = 9
