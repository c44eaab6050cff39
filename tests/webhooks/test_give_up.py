"""A delivery that fails for WEBHOOKS_RETRY_HOURS is given up: the endpoint is switched
off with the reason, what else waited for it is given up too, and the admins and the owner
are mailed once."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from tests.support.tenancy import in_schema
from tickets.services import tickets as ticket_services
from tickets.webhooks.models import WebhookDelivery, WebhookEndpoint
from tickets.webhooks.services import deliveries
from tickets.webhooks.services.deliveries import deliveries_due


def test_a_day_of_failures_switches_the_endpoint_off_and_mails_the_admins_once(
    system_a, owner_a, admin_a, agent_a, member_a, endpoint_a, receiver,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    receiver.answers = [503] * 100
    start = timezone.now()
    with (
        time_machine.travel(start, tick=False),
        in_schema(system_a),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = ticket_services.ticket_create(actor=member_a, subject="One", description=".")
    with in_schema(system_a):
        delivery = WebhookDelivery.objects.get()
    # A second event an hour later: still waiting when the first gives up.
    with time_machine.travel(start + timedelta(hours=1), tick=False), in_schema(system_a):
        ticket_services.ticket_reply(actor=member_a, ticket=first, body="Anyone?")
    mail.outbox.clear()

    runs = 0
    while delivery.state != "given_up":
        runs += 1
        assert runs < 20
        with time_machine.travel(delivery.next_attempt_at, tick=False), in_schema(system_a):
            with django_capture_on_commit_callbacks(execute=True):
                deliveries_due()
            delivery.refresh_from_db()
        if delivery.state == "failed":
            assert delivery.next_attempt_at <= start + timedelta(hours=24)

    assert delivery.last_attempt_at >= start + timedelta(hours=24)
    assert 8 <= delivery.attempts <= 12
    with in_schema(system_a):
        endpoint = WebhookEndpoint.objects.get()
        assert not endpoint.is_active and endpoint.disabled_at is not None
        assert "24 hours" in endpoint.disabled_reason and "503" in endpoint.disabled_reason
        assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"given_up"}
        assert deliveries_due() == 0
        # New events are not even recorded for it.
        ticket_services.ticket_create(actor=member_a, subject="Two", description=".")
        assert WebhookDelivery.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [admin_a.email, owner_a.email]
    assert all(endpoint_a.url in m.body and "/deliveries/" in m.body for m in mail.outbox)
    assert endpoint_a.secret not in mail.outbox[0].body


def test_an_answer_that_arrives_after_the_endpoint_was_switched_off_or_deleted_changes_nothing(
    system_a, admin_a, member_a, endpoint_a, receiver, monkeypatch
):
    """The POST happens outside any transaction; the admin may act meanwhile."""
    from tickets.webhooks import network
    from tickets.webhooks.services import endpoints

    real_post = network.post
    receiver.answers = [500, 500]

    def post_while_switched_off(url, **kwargs):
        answer = real_post(url, **kwargs)
        endpoints.endpoint_update(
            actor=admin_a,
            endpoint=endpoint_a,
            url=endpoint_a.url,
            description="",
            events=["ticket.created"],
            is_active=False,
        )
        return answer

    with in_schema(system_a):
        ticket_services.ticket_create(actor=member_a, subject="One", description=".")
        delivery = WebhookDelivery.objects.get()
        monkeypatch.setattr(network, "post", post_while_switched_off)
        deliveries.delivery_attempt(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == (
            "given_up",
            1,
            None,
        )
        assert delivery.attempt_log.get().status_code == 500

        endpoints.endpoint_update(
            actor=admin_a, endpoint=endpoint_a, url=endpoint_a.url, description="",
            events=["ticket.created"], is_active=True,
        )  # fmt: skip
        resent = endpoints.delivery_resend(actor=admin_a, delivery=delivery)

        def post_while_deleted(url, **kwargs):
            answer = real_post(url, **kwargs)
            endpoints.endpoint_delete(actor=admin_a, endpoint=endpoint_a)
            return answer

        monkeypatch.setattr(network, "post", post_while_deleted)
        assert deliveries.delivery_attempt(delivery_id=resent.pk) is not None
        assert not WebhookDelivery.objects.exists()
    assert len(receiver.received) == 2 and mail.outbox == []
