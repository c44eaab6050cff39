"""What becomes of one received message (run by a worker, once per message).

In order: a bounce is recorded on its recipient; a forwarding confirmation confirms its
address; automatic mail (auto-replies, lists, our own mail coming back, a sender writing
faster than any person) is never answered; then the message threads onto its ticket (by
In-Reply-To/References, then the signed token in the reply address, then ``[#number]`` in
the subject when the sender is on that ticket) or opens a new one, if its sender may.
Anything else is held for an admin, with the reason. A message that can't be read is kept
raw as failed, with the error, and never stops the others.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Perm, can
from servicedesk.schema import current_schema
from tenants.models import System
from tickets.mail import addresses
from tickets.mail.models import (
    Contact,
    ForwardingAddress,
    InboundMessage,
    MailSettings,
    OutboundMessage,
    WhoMayWrite,
)
from tickets.mail.parsed import ParsedMessage
from tickets.mail.parsing import parse
from tickets.mail.services.bounces import bounce_record
from tickets.mail.services.conversation import contact_for, reply_from_mail, ticket_from_mail
from tickets.models import Reply, Ticket

log = logging.getLogger(__name__)

Status = InboundMessage.Status
_NUMBER_IN_SUBJECT = re.compile(r"\[#(\d{1,10})\]")
_FORWARDING_TOKEN = re.compile(r"\bfwd-confirm-([0-9a-f]{32})\b")


@dataclass(frozen=True)
class Outcome:
    status: str
    reason: str = ""
    ticket: Ticket | None = None
    reply: Reply | None = None


def mail_settings() -> MailSettings:
    found = MailSettings.objects.first()
    return found if found is not None else MailSettings.objects.create()


def inbound_process(*, message_pk: int, force: bool = False) -> InboundMessage:
    """Process one stored message; idempotent (a message already processed is left alone).
    ``force``: an admin released a held message, so its sender may open a ticket."""
    with transaction.atomic():
        row = InboundMessage.objects.select_for_update().get(pk=message_pk)
        if row.status != Status.RECEIVED and not (force and row.status == Status.HELD):
            return row
        row.attempts += 1
        try:
            with transaction.atomic():
                with row.raw.open("rb") as handle:
                    raw = handle.read()
                outcome = _route(row, parse(raw), force=force)
        except (DatabaseError, OSError):
            raise  # the database or the disk, not the message: the task retries
        except SoftTimeLimitExceeded:
            log.warning("inbound mail %s took too long to read", row.pk)
            outcome = Outcome(Status.FAILED, "Reading it took too long (over two minutes).")
        except Exception as error:  # one bad message must never block the rest
            log.exception("inbound mail %s failed", row.pk)
            outcome = Outcome(Status.FAILED, f"{type(error).__name__}: {error}"[:2000])
        row.status, row.reason = outcome.status, outcome.reason
        row.ticket = outcome.ticket or (outcome.reply.ticket if outcome.reply else None)
        row.reply = outcome.reply
        row.processed_at = timezone.now()
        row.save()
    return row


def _route(row: InboundMessage, parsed: ParsedMessage, *, force: bool) -> Outcome:
    system = System.objects.select_related("plan").get(schema_name=current_schema())
    if parsed.bounce is not None:
        bounce_record(bounce=parsed.bounce)
        failed = ", ".join(parsed.bounce.recipients) or "unknown recipient"
        return Outcome(Status.BOUNCE, f"Delivery to {failed} failed: {parsed.bounce.diagnostic}")
    forwarding = _forwarding_confirmation(parsed)
    if forwarding is not None:
        return Outcome(Status.VERIFICATION, f"Forwarding from {forwarding.address} works.")
    if parsed.auto_reason:
        return Outcome(Status.IGNORED, f"Automatic mail ({parsed.auto_reason}): never answered.")
    if parsed.message_id and addresses.is_our_message_id(parsed.message_id):
        return Outcome(Status.IGNORED, "Our own mail came back (a mail loop): never answered.")
    if not parsed.from_address:
        return Outcome(Status.HELD, "It has no sender address: nobody could be answered.")
    if addresses.slug_of(parsed.from_address) is not None:
        return Outcome(Status.IGNORED, "Sent from an address of ours (a mail loop): ignored.")
    if _too_many_from(row):
        return Outcome(
            Status.HELD,
            f"More than {settings.MAIL_PER_SENDER_PER_HOUR} messages in an hour from "
            f"{parsed.from_address}: held as a possible mail loop.",
        )
    person = _person(parsed.from_address)
    if person is not None and parsed.authentication_failed:
        return Outcome(
            Status.HELD,
            f"Signed as {parsed.from_address}, a person of this System, but the sending "
            "server failed the domain's checks (SPF/DKIM/DMARC): the sender may be forged.",
        )
    contact = None if person else Contact.objects.filter(email__iexact=parsed.from_address).first()
    ticket = _thread(row, parsed, slug=system.slug, person=person, contact=contact)
    if ticket is not None:
        if not _on_ticket(ticket, person=person, contact=contact) and not force:
            return Outcome(
                Status.HELD,
                f"{parsed.from_address} answered #{ticket.number} but is not on that ticket.",
            )
        if person is None and contact is None:
            contact = contact_for(address=parsed.from_address, name=parsed.from_name)
        reply = reply_from_mail(
            parsed=parsed, ticket=ticket, person=person, contact=contact, system=system
        )
        return Outcome(Status.REPLY, ticket=ticket, reply=reply)
    if person is None:
        if mail_settings().who_may_write != WhoMayWrite.ANYONE and not force:
            return Outcome(
                Status.HELD,
                f"{parsed.from_address} is not a person of this System, and only its people "
                "may open tickets by mail.",
            )
        contact = contact or contact_for(address=parsed.from_address, name=parsed.from_name)
    ticket = ticket_from_mail(parsed=parsed, person=person, contact=contact, system=system)
    return Outcome(Status.TICKET, ticket=ticket)


def _forwarding_confirmation(parsed: ParsedMessage) -> ForwardingAddress | None:
    found = _FORWARDING_TOKEN.search(f"{parsed.subject}\n{parsed.full_text}")
    if found is None:
        return None
    forwarding = ForwardingAddress.objects.filter(token=found.group(1)).first()
    if forwarding is not None and forwarding.verified_at is None:
        forwarding.verified_at = timezone.now()
        forwarding.save(update_fields=["verified_at"])
    return forwarding


def _too_many_from(row: InboundMessage) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = InboundMessage.objects.filter(
        from_address=row.from_address,
        received_at__gte=since,
        status__in=(Status.TICKET, Status.REPLY),
    ).exclude(pk=row.pk)
    return recent.count() >= settings.MAIL_PER_SENDER_PER_HOUR


def _person(address: str) -> User | None:
    """The person of this System who has ``address``, if he may work here."""
    user = User.objects.filter(email__iexact=address).first()
    if user is None or not user.is_active or user.is_suspended:
        return None
    return user


def _thread(
    row: InboundMessage,
    parsed: ParsedMessage,
    *,
    slug: str,
    person: User | None,
    contact: Contact | None,
) -> Ticket | None:
    ticket = _by_message_ids(parsed.thread_ids)
    if ticket is None:
        for address in (*row.envelope_to.split(), *parsed.to, *parsed.cc):
            number = addresses.ticket_number_in(address, slug=slug)
            if number is not None:
                ticket = Ticket.objects.filter(number=number).first()
                break
    if ticket is None:
        found = _NUMBER_IN_SUBJECT.search(parsed.subject)
        if found is not None:
            candidate = Ticket.objects.filter(number=int(found.group(1))).first()
            if candidate is not None and _on_ticket(candidate, person=person, contact=contact):
                ticket = candidate
    while ticket is not None and ticket.merged_into_id:
        ticket = ticket.merged_into
    if ticket is not None and (ticket.deleted_at or ticket.removed_reason):
        return None  # in the trash or removed: the mail opens a new ticket instead
    return ticket


def _by_message_ids(ids: tuple[str, ...]) -> Ticket | None:
    if not ids:
        return None
    ids = ids[:50]
    sent = (
        OutboundMessage.objects.filter(message_id__in=ids, ticket__isnull=False)
        .select_related("ticket")
        .first()
    )
    if sent is not None:
        return sent.ticket
    received = (
        InboundMessage.objects.filter(message_id__in=ids, ticket__isnull=False)
        .select_related("ticket")
        .first()
    )
    return received.ticket if received is not None else None


def _on_ticket(ticket: Ticket, *, person: User | None, contact: Contact | None) -> bool:
    if person is not None:
        if can(person, Perm.TICKET_VIEW_ALL):
            return True
        if ticket.requester_id == person.pk or ticket.followers.filter(pk=person.pk).exists():
            return True
        return Reply.objects.filter(ticket=ticket, author=person, is_internal=False).exists()
    if contact is not None:
        if ticket.contact_id == contact.pk:
            return True
        return Reply.objects.filter(ticket=ticket, author_contact=contact).exists()
    return False
