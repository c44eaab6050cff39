"""Deliveries: one row per endpoint per event, written in the transaction of the change that
caused it; the send task queued once that commits. If the queue is unreachable then, nothing
is lost: the beat's scan finds the row when its attempt is due.

An attempt claims its row under a lock and moves its next attempt a lease ahead, so two
tasks for one delivery (the scan's and the commit's, a redelivered message) send it once;
a delivered one is never sent again. The POST happens outside any transaction. A failure is
retried after 30 s, 2 min, 10 min, 1 h, 3 h, then every 6 h (each plus up to a fifth of
jitter), until WEBHOOKS_RETRY_HOURS after the first attempt; then it is given up, the
endpoint disabled and the System's admins told, once.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import Role, User
from servicedesk import mail
from servicedesk.queue import task
from servicedesk.schema import current_schema
from tenants import selectors as tenant_selectors
from tenants.models import System
from tickets.webhooks import network, payloads, signing
from tickets.webhooks.events import PING
from tickets.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

SEND = "tickets.webhooks.tasks.delivery_send"
State = WebhookDelivery.State
WAITING = (State.PENDING, State.FAILED)
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)
JITTER = 0.2


def lease() -> timedelta:
    """Longer than an attempt can take: nobody else claims the row meanwhile."""
    return timedelta(seconds=3 * settings.WEBHOOKS_TIMEOUT_SECONDS + 30)


def backoff(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed attempt."""
    pause = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    return pause * (1 + random.uniform(0, JITTER))  # noqa: S311 - spreading retries, not a secret


def queue_on_commit(ids: list[int]) -> None:
    """Send these deliveries once the transaction commits, in this schema. A broker that is
    down then loses nothing (robust: the change stands; the scan sends them)."""
    if not ids:
        return
    schema = current_schema()
    send = task(SEND)

    def queue() -> None:
        with schema_context(schema):
            for delivery_id in ids:
                send.delay(delivery_id)

    transaction.on_commit(queue, robust=True)


def deliveries_create(*, event: str, data: Callable[[], dict[str, Any]]) -> list[WebhookDelivery]:
    """One delivery of ``event`` for each active endpoint that chose it; ``data`` is built
    only when one did. Called inside the change's transaction (tickets.hooks)."""
    endpoints = list(
        WebhookEndpoint.objects.filter(is_active=True, events__contains=[event]).only("id")
    )
    if not endpoints:
        return []
    now = timezone.now()
    text = payloads.body(event, data(), at=now)
    event_id = uuid.uuid4()  # one event: the same Webhook-Id at every endpoint
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            event_id=event_id,
            body=text,
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    queue_on_commit([row.pk for row in rows])
    return rows


def delivery_again(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """A new delivery of the same event, body and Webhook-Id (the caller checks who asks)."""
    now = timezone.now()
    row = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        event=delivery.event,
        event_id=delivery.event_id,
        body=delivery.body,
        created_at=now,
        next_attempt_at=now,
        resent_from=delivery,
    )
    queue_on_commit([row.pk])
    return row


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """The delivery, its attempt counted and its next one a lease ahead; None when it is
    not due (delivered, given up, already claimed, its endpoint disabled)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if (
            delivery is None
            or delivery.state not in WAITING
            or delivery.next_attempt_at is None
            or delivery.next_attempt_at > now
            or not delivery.endpoint.is_active
        ):
            return None
        delivery.attempts += 1
        delivery.first_attempt_at = delivery.first_attempt_at or now
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + lease()
        delivery.save(
            update_fields=["attempts", "first_attempt_at", "last_attempt_at", "next_attempt_at"]
        )
    return delivery


def _secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    keys = [endpoint.secret]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and until > now:
        keys.append(endpoint.previous_secret)
    return keys


def delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Claim the delivery if it is due, POST it, record the answer and what comes next."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    started = timezone.now()
    event_id = str(delivery.event_id)
    headers = signing.headers(
        _secrets(endpoint, started),
        event_id=event_id,
        timestamp=int(time.time()),
        body=delivery.body,
    )
    answer = network.post(endpoint.url, body=delivery.body, headers=headers)
    error = answer.error
    code = answer.status_code
    if code is not None and not 200 <= code < 300:
        error = (
            _("Answered %(code)d: redirects are not followed.") % {"code": code}
            if 300 <= code < 400
            else _("Answered %(code)d.") % {"code": code}
        )
    _record(
        delivery,
        started=started,
        code=code,
        latency=answer.latency_ms,
        error=error,
        response=answer.response,
    )
    return delivery


@transaction.atomic
def _record(
    delivery: WebhookDelivery,
    *,
    started: datetime,
    code: int | None,
    latency: int,
    error: str,
    response: str,
) -> None:
    state = (
        WebhookDelivery.objects.select_for_update()
        .filter(pk=delivery.pk)
        .values_list("state", flat=True)
        .first()
    )
    if state is None:  # the endpoint was deleted while we waited for its answer
        return
    # Switched off while we waited (endpoint_disable gave up what waited for it).
    switched_off = state == State.GIVEN_UP
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=started,
        status_code=code,
        latency_ms=latency,
        error=error[:500],
        response=response,
    )
    now = timezone.now()
    delivery.status_code, delivery.latency_ms, delivery.error = code, latency, error[:500]
    assert delivery.first_attempt_at is not None
    deadline = delivery.first_attempt_at + timedelta(hours=settings.WEBHOOKS_RETRY_HOURS)
    if not error:
        delivery.state, delivery.next_attempt_at = State.SUCCEEDED, None
    elif switched_off:
        delivery.state, delivery.next_attempt_at = State.GIVEN_UP, None
    elif delivery.event == PING:  # a test shows what happens now; it is not retried
        delivery.state, delivery.next_attempt_at = State.FAILED, None
    elif now >= deadline:
        delivery.state, delivery.next_attempt_at = State.GIVEN_UP, None
    else:
        delivery.state = State.FAILED
        delivery.next_attempt_at = min(now + backoff(delivery.attempts), deadline)
    delivery.save(update_fields=["state", "next_attempt_at", "status_code", "latency_ms", "error"])
    if delivery.state == State.GIVEN_UP and not switched_off:
        hours = settings.WEBHOOKS_RETRY_HOURS
        endpoint_disable(
            endpoint=delivery.endpoint,
            reason=_("Deliveries failed for %(hours)d hours (last: %(error)s)")
            % {"hours": hours, "error": error},
            tell_admins=True,
        )


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: str, tell_admins: bool) -> bool:
    """Disable ``endpoint`` unless it already is; what still waits for it is given up. The
    admins hear of it once, however many deliveries give up at the same time."""
    now = timezone.now()
    changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_at=now, disabled_reason=reason[:300], updated_at=now
    )
    WebhookDelivery.objects.filter(endpoint=endpoint, state__in=WAITING).update(
        state=State.GIVEN_UP, next_attempt_at=None
    )
    if changed and tell_admins:
        system = System.objects.get(schema_name=current_schema())
        admins = User.objects.filter(
            role__in=(Role.OWNER, Role.ADMIN), is_active=True, suspended_at__isnull=True
        ).values_list("email", flat=True)
        mail.send_templated(
            to=list(admins),
            template="webhook_disabled",
            context={
                "system": system,
                "url": endpoint.url,
                "reason": reason,
                "log_url": tenant_selectors.system_url(
                    system=system, path=f"/settings/webhooks/{endpoint.pk}/deliveries/"
                ),
            },
        )
    return bool(changed)


def deliveries_due(*, limit: int = 500) -> int:
    """Queue a send for each delivery whose attempt is due (the beat's scan, in one
    System). The claim makes a second queueing of one harmless."""
    ids = list(
        WebhookDelivery.objects.filter(
            state__in=WAITING, next_attempt_at__lte=timezone.now(), endpoint__is_active=True
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    send = task(SEND)
    for delivery_id in ids:
        send.delay(delivery_id)
    return len(ids)


def deliveries_purge(*, batch: int = 5000) -> int:
    """Forget deliveries older than WEBHOOKS_LOG_DAYS (their attempts go with them)."""
    before = timezone.now() - timedelta(days=settings.WEBHOOKS_LOG_DAYS)
    purged = 0
    while True:
        ids = list(
            WebhookDelivery.objects.filter(created_at__lt=before).values_list("pk", flat=True)[
                :batch
            ]
        )
        if not ids:
            return purged
        purged += (
            WebhookDelivery.objects.filter(pk__in=ids)
            .delete()[1]
            .get(WebhookDelivery._meta.label, 0)
        )
