"""A real worker: deliveries leave once the change commits, each in its own System; the
beat's scan (fanned out from public) retries a failed one; a duplicate task sends nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import User
from tests.support.tenancy import in_schema
from tests.support.worker import wait_until
from tests.webhooks.conftest import start_receiver
from tickets.services.tickets import ticket_create
from tickets.webhooks.models import WebhookDelivery
from tickets.webhooks.services import endpoints
from tickets.webhooks.tasks import deliveries_scan_all, delivery_send
from tickets.webhooks.verify_example import verify


@pytest.mark.worker
def test_a_real_worker_delivers_retries_from_the_scan_and_never_twice(worker, committed):
    one = committed.system("hooks-one", owner="owner@hooks-one.example")
    two = committed.system("hooks-two", owner="owner@hooks-two.example")
    (first, first_server), (second, second_server) = start_receiver(), start_receiver()
    first.answers = [500]
    try:
        secrets = {}
        for system, receiver in ((one, first), (two, second)):
            with in_schema(system):
                owner = User.objects.get(role=User.Role.OWNER)
                endpoint = endpoints.endpoint_create(
                    actor=owner, url=receiver.url, description="", events=["ticket.created"]
                )
                secrets[system.slug] = endpoint.secret
                ticket_create(actor=owner, subject=f"From {system.slug}", description=".")

        wait_until(lambda: first.received and second.received)
        with in_schema(one):
            delivery = WebhookDelivery.objects.get()
            wait_until(lambda: WebhookDelivery.objects.filter(state="failed").exists())
            # Thirty seconds on, as far as the scan can tell.
            WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        deliveries_scan_all.delay()  # as beat does, from public
        wait_until(lambda: len(first.received) == 2)
        with in_schema(one):
            wait_until(lambda: WebhookDelivery.objects.filter(state="succeeded").exists())
            delivery_send.delay(delivery.pk)  # a duplicate message
        deliveries_scan_all.delay()
        worker.drain()

        assert len(first.received) == 2 and len(second.received) == 1
        assert first.received[0].headers["Webhook-Id"] == first.received[1].headers["Webhook-Id"]
        assert all(verify(secrets["hooks-one"], r.headers, r.body) for r in first.received)
        assert verify(secrets["hooks-two"], second.received[0].headers, second.received[0].body)
        assert first.received[1].event["data"]["ticket"]["subject"] == "From hooks-one"
        assert second.received[0].event["data"]["ticket"]["subject"] == "From hooks-two"
        with in_schema(one):
            delivery.refresh_from_db()
            assert (delivery.state, delivery.attempts) == ("succeeded", 2)
    finally:
        for server in (first_server, second_server):
            server.shutdown()
            server.server_close()
