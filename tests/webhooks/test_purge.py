"""The delivery log keeps WEBHOOKS_LOG_DAYS: older deliveries go with their attempts."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from tests.support.tenancy import in_schema
from tickets.webhooks.models import WebhookAttempt, WebhookDelivery
from tickets.webhooks.services.deliveries import deliveries_purge


def test_deliveries_older_than_the_log_keeps_are_purged_with_their_attempts(system_a, endpoint_a):
    now = timezone.now()
    with in_schema(system_a):
        old, kept = (
            WebhookDelivery.objects.create(
                endpoint=endpoint_a, event="ticket.created", body="{}", created_at=when
            )
            for when in (
                now - timedelta(days=settings.WEBHOOKS_LOG_DAYS, minutes=1),
                now - timedelta(days=settings.WEBHOOKS_LOG_DAYS - 1),
            )
        )
        old.attempt_log.create(number=1, started_at=old.created_at, status_code=200)
        resent = WebhookDelivery.objects.create(
            endpoint=endpoint_a, event="ticket.created", body="{}", resent_from=old
        )

        assert deliveries_purge(batch=1) == 1
        assert deliveries_purge() == 0
        assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {kept.pk, resent.pk}
        assert not WebhookAttempt.objects.exists()
        resent.refresh_from_db()
        assert resent.resent_from is None
