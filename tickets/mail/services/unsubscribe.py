"""Unsubscribing from ticket mail by a link in the mail itself (List-Unsubscribe, RFC 8058).

The link carries a signed token naming one address and one kind of mail. A person turns
that kind off (his NotificationPreference); a contact, who has no preferences, stops mail
to his address. The token's salt holds the System's id, so a token is worthless at any
other System (and keeps working when the System's subdomain or schema changes).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from servicedesk.tokens import system_sign, system_unsign
from tenants.models import System
from tickets.mail.models import MailRecipient
from tickets.models import NotificationPreference
from tickets.notifications import CONTACT

# The kinds a person can turn off (NotificationPreference's fields), and a contact's only one.
PERSON_KINDS = {
    "new_tickets": _("new tickets"),
    "replies": _("replies on your tickets and those you follow"),
    "assignments": _("tickets assigned to you"),
    "mentions": _("internal notes that mention you"),
    "satisfaction": _("questions on how your solved tickets went"),
}


@dataclass(frozen=True)
class Unsubscribe:
    address: str
    kind: str  # one of PERSON_KINDS, or CONTACT
    user_id: int | None

    @property
    def what(self) -> str:
        return str(PERSON_KINDS.get(self.kind, _("all mail about your tickets")))


PURPOSE = "tickets.mail.unsubscribe"


def unsubscribe_token(*, system: System, address: str, kind: str, user_id: int | None) -> str:
    if kind not in PERSON_KINDS and kind != CONTACT:
        raise ValueError(f"No such kind of mail: {kind}")
    payload = {"a": address.lower(), "k": kind, "u": user_id}
    return system_sign(payload, purpose=PURPOSE, system_id=system.pk)


def unsubscribe_read(*, system: System, token: str) -> Unsubscribe | None:
    """What ``token`` unsubscribes from at ``system``, or None if it is not one of its own."""
    payload = system_unsign(token, purpose=PURPOSE, system_id=system.pk)
    if payload is None:
        return None
    kind, address, user_id = payload.get("k"), payload.get("a"), payload.get("u")
    if not isinstance(address, str) or not address:
        return None
    if kind in PERSON_KINDS and isinstance(user_id, int):
        return Unsubscribe(address=address, kind=kind, user_id=user_id)
    if kind == CONTACT and user_id is None:
        return Unsubscribe(address=address, kind=kind, user_id=None)
    return None


def unsubscribed(*, wanted: Unsubscribe) -> bool:
    """Whether that mail is already off."""
    if wanted.kind == CONTACT:
        return MailRecipient.objects.filter(
            address__iexact=wanted.address, stopped_at__isnull=False
        ).exists()
    return NotificationPreference.objects.filter(
        user_id=wanted.user_id or 0, **{wanted.kind: False}
    ).exists()


@transaction.atomic
def unsubscribe_apply(*, wanted: Unsubscribe) -> None:
    """Turn that mail off; idempotent. No actor: the signed link is the authority."""
    if wanted.kind == CONTACT:
        recipient = MailRecipient.objects.filter(address__iexact=wanted.address).first()
        if recipient is None:
            recipient = MailRecipient.objects.create(address=wanted.address)
        if recipient.stopped_at is None:
            recipient.stopped_at = timezone.now()
            recipient.last_bounce_reason = "Unsubscribed by the link in a mail."
            recipient.save(update_fields=["stopped_at", "last_bounce_reason"])
        return
    # A person whose address changed since keeps the mail: the link was for the old one.
    user = User.objects.filter(pk=wanted.user_id or 0, email__iexact=wanted.address).first()
    if user is None:
        return
    NotificationPreference.objects.update_or_create(user=user, defaults={wanted.kind: False})
