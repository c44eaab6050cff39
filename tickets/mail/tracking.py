"""The mail provider's delivery events (anymail's ``tracking`` signal), on ticket mail.

Its webhooks reach the public host, so the event says nothing of a System by itself: the
send task gives the provider our Message-ID and the System's id as metadata
(tickets.mail.outgoing), which the provider returns with every event. An event without
them is not about ticket mail and is left alone.
"""

from __future__ import annotations

import logging

from django_tenants.utils import schema_context

from tenants.models import System
from tickets.mail.services.delivery import outbound_event_record

log = logging.getLogger(__name__)

SYSTEM_KEY = "sd_system"
MESSAGE_ID_KEY = "sd_message_id"
INTERESTING = {"delivered", "bounced", "rejected", "failed", "complained"}


def tracking_received(sender, event, esp_name: str = "", **kwargs) -> None:
    if event.event_type not in INTERESTING:
        return
    metadata = event.metadata or {}
    system_id = str(metadata.get(SYSTEM_KEY, ""))
    if not system_id.isdigit():
        return
    system = System.objects.filter(pk=int(system_id)).first()
    if system is None or not system.schema_name:
        log.info("%s event for a System that is gone (%s)", esp_name, system_id)
        return
    reason = " ".join(
        part
        for part in (event.reject_reason or "", event.description or "", event.mta_response or "")
        if part
    )
    with schema_context(system.schema_name):
        row = outbound_event_record(
            message_id=str(metadata.get(MESSAGE_ID_KEY, "")),
            provider_id=event.message_id or "",
            event_type=event.event_type,
            recipient=event.recipient or "",
            reason=reason,
        )
    if row is None:
        log.info("%s %s event for mail System %s never sent", esp_name, event.event_type, system_id)
