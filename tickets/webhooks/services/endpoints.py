"""Admins register endpoints, change them, roll their secret, delete them, resend a
delivery and send a test event. Each change is audited (settings changed, "Webhooks")."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from tickets.webhooks import network, payloads, signing
from tickets.webhooks.events import NAMES, PING
from tickets.webhooks.models import WebhookDelivery, WebhookEndpoint
from tickets.webhooks.services.deliveries import delivery_again, endpoint_disable, queue_on_commit

AUDIT_TARGET = "Webhooks"
# A rolled secret's predecessor signs too for this long.
PREVIOUS_SECRET_HOURS = 24


def _audit(actor: User, detail: dict[str, object]) -> None:
    audit_record(
        action=AuditEvent.Action.SETTINGS_CHANGED, actor=actor, target=AUDIT_TARGET, detail=detail
    )


def _url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    plain_allowed = settings.WEBHOOKS_ALLOW_PRIVATE
    if parts.scheme != "https" and not (parts.scheme == "http" and plain_allowed):
        raise ValidationError({"url": _("Use an https:// address.")})
    if not parts.hostname:
        raise ValidationError(
            {"url": _("Type the full address, such as https://example.com/hooks/service-desk.")}
        )
    if parts.username or parts.password:
        raise ValidationError(
            {"url": _("Leave the user name and password out: every delivery is signed instead.")}
        )
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        literal = None
    if literal is not None and not plain_allowed and network.address_refused(str(literal)):
        raise ValidationError(
            {"url": _("That is a private address; deliveries go only to public ones.")}
        )
    return url


def _events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    if not chosen:
        raise ValidationError({"events": _("Choose at least one event.")})
    if not set(chosen) <= NAMES:
        raise ValidationError({"events": _("Choose events from the list.")})
    return chosen


def _cleaned(url: str, description: str, events: Iterable[str]) -> tuple[str, str, list[str]]:
    """Every field checked, every error told at once."""
    errors: dict[str, list[str]] = {}
    chosen: list[str] = []
    try:
        url = _url(url)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        chosen = _events(events)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return url, description.strip()[:200], chosen


@transaction.atomic
def endpoint_create(
    *, actor: User, url: str, description: str, events: Iterable[str]
) -> WebhookEndpoint:
    """A new endpoint with a new secret (the caller shows ``endpoint.secret`` once)."""
    require(actor, Perm.MANAGE_WEBHOOKS)
    url, description, chosen = _cleaned(url, description, events)
    endpoint = WebhookEndpoint.objects.create(
        url=url,
        description=description,
        events=chosen,
        secret=signing.secret_new(),
        created_by=actor,
    )
    _audit(actor, {"webhook": "created", "url": url, "events": chosen})
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    actor: User,
    endpoint: WebhookEndpoint,
    url: str,
    description: str,
    events: Iterable[str],
    is_active: bool,
) -> WebhookEndpoint:
    """Change an endpoint. Switching it off gives up what waits for it; on, starts afresh."""
    require(actor, Perm.MANAGE_WEBHOOKS)
    url, description, chosen = _cleaned(url, description, events)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    was_active = endpoint.is_active
    endpoint.url, endpoint.description, endpoint.events = url, description, chosen
    endpoint.updated_at = timezone.now()
    if is_active and not was_active:
        endpoint.is_active, endpoint.disabled_at, endpoint.disabled_reason = True, None, ""
    endpoint.save()
    if was_active and not is_active:
        endpoint_disable(
            endpoint=endpoint,
            reason=_("Switched off by %(name)s") % {"name": actor.get_full_name() or actor.email},
            tell_admins=False,
        )
        endpoint.refresh_from_db()
    _audit(actor, {"webhook": "changed", "url": url, "events": chosen, "active": is_active})
    return endpoint


@transaction.atomic
def endpoint_secret_roll(*, actor: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret; the old one still signs (beside it) for PREVIOUS_SECRET_HOURS."""
    require(actor, Perm.MANAGE_WEBHOOKS)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    now = timezone.now()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = now + timedelta(hours=PREVIOUS_SECRET_HOURS)
    endpoint.secret = signing.secret_new()
    endpoint.updated_at = now
    endpoint.save()
    _audit(actor, {"webhook": "secret rolled", "url": endpoint.url})
    return endpoint


@transaction.atomic
def endpoint_delete(*, actor: User, endpoint: WebhookEndpoint) -> None:
    require(actor, Perm.MANAGE_WEBHOOKS)
    _audit(actor, {"webhook": "deleted", "url": endpoint.url})
    endpoint.delete()


@transaction.atomic
def delivery_resend(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Deliver the same event again (same body, same Webhook-Id) to an active endpoint."""
    require(actor, Perm.MANAGE_WEBHOOKS)
    if not delivery.endpoint.is_active:
        raise ValidationError(_("Switch the endpoint on first."))
    return delivery_again(delivery=delivery)


@transaction.atomic
def endpoint_ping(*, actor: User, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A test event, sent at once and not retried."""
    require(actor, Perm.MANAGE_WEBHOOKS)
    if not endpoint.is_active:
        raise ValidationError(_("Switch the endpoint on first."))
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=PING,
        body=payloads.body(PING, {"endpoint": endpoint.pk}, at=now),
        created_at=now,
        next_attempt_at=now,
    )
    queue_on_commit([delivery.pk])
    return delivery
