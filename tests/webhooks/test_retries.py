"""A receiver that answers 500 three times, then 200: four attempts, each after the backoff's
pause, one Webhook-Id throughout, and the log shows them. Due deliveries are run the way the
beat's scan does it (deliveries_due queues one send per due delivery)."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import time_machine
from django.utils import timezone

from tests.support.tenancy import client_for, in_schema
from tickets.services import tickets as ticket_services
from tickets.webhooks.models import WebhookDelivery
from tickets.webhooks.services.deliveries import backoff, deliveries_due
from tickets.webhooks.verify_example import verify

PAUSES = [timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10)]


def test_a_failing_receiver_sees_retries_with_growing_pauses_until_it_answers(
    system_a, admin_a, member_a, endpoint_a, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 500, 500]
    start = timezone.now()
    with (
        time_machine.travel(start, tick=False),
        in_schema(system_a),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket_services.ticket_create(actor=member_a, subject="Disk full", description="!")
    with in_schema(system_a):
        delivery = WebhookDelivery.objects.get()
    moment = start
    for attempt, pause in enumerate(PAUSES, start=1):
        assert (delivery.state, delivery.attempts, delivery.status_code) == ("failed", attempt, 500)
        wait = delivery.next_attempt_at - moment
        assert pause <= wait <= pause * 1.2, (attempt, wait)  # the pause plus its jitter
        early = delivery.next_attempt_at - timedelta(seconds=1)
        with time_machine.travel(early, tick=False), in_schema(system_a):
            assert deliveries_due() == 0  # not yet
        moment = delivery.next_attempt_at
        with time_machine.travel(moment, tick=False), in_schema(system_a):
            assert deliveries_due() == 1
            delivery.refresh_from_db()

    assert (delivery.state, delivery.attempts, delivery.status_code) == ("succeeded", 4, 200)
    assert delivery.next_attempt_at is None
    assert len(receiver.received) == 4
    assert len({request.headers["Webhook-Id"] for request in receiver.received}) == 1
    assert len({request.body for request in receiver.received}) == 1
    timestamps = [int(request.headers["Webhook-Timestamp"]) for request in receiver.received]
    assert timestamps == sorted(timestamps) and timestamps[-1] - timestamps[0] >= 12 * 60
    with time_machine.travel(moment, tick=False):
        assert all(verify(endpoint_a.secret, r.headers, r.body) for r in receiver.received[-1:])

    with in_schema(system_a):
        assert deliveries_due() == 0  # delivered: never again
        attempts = list(delivery.attempt_log.values_list("number", "status_code"))
        assert attempts == [(1, 500), (2, 500), (3, 500), (4, 200)]
        assert all(
            len(r) == 1024
            for r in delivery.attempt_log.filter(status_code=500).values_list("response", flat=True)
        )
    page = client_for(system_a, admin_a).get(f"/settings/webhooks/{endpoint_a.pk}/deliveries/")
    html = page.content.decode()
    codes = re.findall(r'<td class="webhook-status">(\d+)</td>', html)
    assert codes == ["200", "500", "500", "500"]  # newest first
    assert "ticket.created" in html and "Delivered" in html


def test_the_pauses_grow_and_stay_below_six_hours_and_a_fifth():
    pauses = [backoff(n) for n in range(1, 12)]
    assert pauses[0] >= timedelta(seconds=30)
    assert all(a < b for a, b in itertools.pairwise(pauses[:6]))
    assert all(timedelta(hours=6) <= p <= timedelta(hours=7.2) for p in pauses[5:])
