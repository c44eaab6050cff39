"""Mail arrives: store it raw in each System it is addressed to, then queue its processing.

Every way in (the SMTP receiver, IMAP polling, providers' webhooks) calls
``inbound_deliver`` (addressed by envelope recipients, public schema) or ``inbound_store``
(already in the System's schema). Nothing here reads more than the headers: parsing is the
worker's job, so a message that breaks the parser is still kept.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser
from email.utils import parseaddr

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django_tenants.utils import schema_context

from servicedesk.queue import enqueue_on_commit
from servicedesk.schema import current_schema
from tenants import storage
from tenants.models import System
from tickets.mail import addresses
from tickets.mail.models import InboundMessage

log = logging.getLogger(__name__)

PROCESS = "tickets.mail.tasks.inbound_process"
# Mail is taken only by Systems people work in (a suspended one refuses it at RCPT TO).
RECEIVING = (System.Status.TRIAL, System.Status.ACTIVE)


@dataclass(frozen=True)
class Stored:
    schema: str
    message_pk: int
    duplicate: bool


def system_for_address(address: str) -> System | None:
    """The System that receives at ``address`` (public schema), or None."""
    slug = addresses.slug_of(address)
    if slug is None:
        return None
    return System.objects.filter(slug=slug, status__in=RECEIVING).first()


def inbound_deliver(
    *, raw: bytes, via: str, recipients: Iterable[str], envelope_from: str = ""
) -> list[Stored]:
    """Store ``raw`` once in every System one of ``recipients`` belongs to. Recipients of no
    System are left out (the SMTP receiver refused them already)."""
    by_system: dict[int, tuple[System, list[str]]] = {}
    for address in recipients:
        system = system_for_address(address)
        if system is not None:
            by_system.setdefault(system.pk, (system, []))[1].append(address.lower())
    stored = []
    for system, addressed in by_system.values():
        with schema_context(system.schema_name):
            stored.append(
                inbound_store(
                    raw=raw,
                    via=via,
                    recipients=addressed,
                    envelope_from=envelope_from,
                    system=system,
                )
            )
    return stored


def _header(headers, name: str) -> str:
    try:
        return " ".join(str(headers.get(name, "") or "").split())
    except Exception:  # noqa: BLE001 - a header too broken to read is just unread here
        return ""


def dedupe_key(*, message_id: str, sha256: str) -> str:
    return message_id[:990] if message_id else f"sha:{sha256}"


@transaction.atomic
def inbound_store(
    *,
    raw: bytes,
    via: str,
    recipients: Iterable[str] = (),
    envelope_from: str = "",
    system: System | None = None,
) -> Stored:
    """Keep ``raw`` in the current System and queue its processing; a message already here
    (same Message-ID, or the same bytes when it has none) is recorded as a duplicate and
    processed no further."""
    headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    message_id = _header(headers, "Message-ID").strip("<> ")
    digest = hashlib.sha256(raw).hexdigest()
    name, sender = parseaddr(_header(headers, "From"))
    row = InboundMessage(
        via=via,
        size=len(raw),
        sha256=digest,
        dedupe_key=dedupe_key(message_id=message_id, sha256=digest),
        message_id=message_id[:998],
        envelope_from=envelope_from.strip().strip("<>")[:254],  # "<>": the null sender
        envelope_to="\n".join(recipients),
        from_address=sender.lower()[:254],
        from_name=name[:150],
        subject=_header(headers, "Subject")[:255],
    )
    original = InboundMessage.objects.filter(
        dedupe_key=row.dedupe_key, duplicate_of__isnull=True
    ).first()
    if original is None:
        try:
            with transaction.atomic():
                row.raw.save("message.eml", ContentFile(raw), save=False)
                row.save()
        except IntegrityError:
            # The same message arrived by another way at this very moment.
            row.raw.delete(save=False)
            original = InboundMessage.objects.get(
                dedupe_key=row.dedupe_key, duplicate_of__isnull=True
            )
    if original is not None:
        row.pk = None
        row.raw = None
        row.size = 0
        row.duplicate_of = original
        row.status = InboundMessage.Status.DUPLICATE
        row.reason = f"Already received as message {original.pk}."
        row.save()
        log.info("inbound mail %s is a duplicate of %s", row.pk, original.pk)
        return Stored(schema=current_schema(), message_pk=row.pk, duplicate=True)
    system = system or System.objects.get(schema_name=current_schema())
    storage.storage_add(system_id=system.pk, nbytes=len(raw))
    enqueue_on_commit(PROCESS, message_pk=row.pk)
    return Stored(schema=current_schema(), message_pk=row.pk, duplicate=False)


def raw_mail_bytes(system: System) -> int:
    """Bytes of raw mail a System keeps (for storage recounts)."""
    with schema_context(system.schema_name):
        total = InboundMessage.objects.aggregate(n=Sum("size"))["n"]
    return int(total or 0)
