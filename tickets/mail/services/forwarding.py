"""Forwarding addresses: an address of the company's own (help@acme.com) that forwards to
the System's support address. A confirmation mail sent to it proves the forwarding works
when it comes back in (tickets.mail.services.processing reads its token)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from servicedesk import mail, ratelimit
from servicedesk.schema import current_schema
from tenants.models import System
from tickets.mail import addresses
from tickets.mail.models import ForwardingAddress

# A System needs a handful; the cap keeps the confirmation mail from being a way to send
# mail to many addresses.
MAX_FORWARDING_ADDRESSES = 20
ADDS_PER_HOUR = 10
RESEND_EVERY_SECONDS = 60


def _send_confirmation(forwarding: ForwardingAddress, system: System) -> None:
    mail.send_templated(
        to=[forwarding.address],
        template="forwarding_confirm",
        context={
            "system": system,
            "forwarding": forwarding,
            "support_address": addresses.support_address(slug=system.slug or ""),
            "confirm_code": f"fwd-confirm-{forwarding.token}",
        },
    )


def _this_system() -> System:
    return System.objects.get(schema_name=current_schema())


def _normalise(raw: str) -> str:
    address = raw.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            {"address": _("“%(address)s” is not an email address.") % {"address": raw.strip()}}
        ) from None
    return address


@transaction.atomic
def forwarding_add(*, actor: User, address: str, ip: str | None = None) -> ForwardingAddress:
    """Add ``address`` and send it the confirmation mail."""
    require(actor, Perm.MANAGE_MAIL)
    address = _normalise(address)
    system = _this_system()
    if addresses.slug_of(address) is not None:
        raise ValidationError(
            {"address": _("That is an address of Service Desk itself, not one of yours.")}
        )
    if ForwardingAddress.objects.filter(address__iexact=address).exists():
        raise ValidationError(
            {"address": _("%(address)s is already listed.") % {"address": address}}
        )
    if ForwardingAddress.objects.count() >= MAX_FORWARDING_ADDRESSES:
        raise ValidationError(
            {
                "address": _("At most %(count)d forwarding addresses; remove one.")
                % {"count": MAX_FORWARDING_ADDRESSES}
            }
        )
    if not ratelimit.hit("fwd-add", "system", limit=ADDS_PER_HOUR, window=3600):
        raise ValidationError(
            {"address": _("Many addresses were added in the last hour; try later.")}
        )
    now = timezone.now()
    forwarding = ForwardingAddress.objects.create(
        address=address,
        token=secrets.token_hex(16),
        added_by=actor,
        created_at=now,
        verification_sent_at=now,
    )
    audit_record(
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=address,
        ip=ip,
        detail={"forwarding_address": ["", address]},
    )
    _send_confirmation(forwarding, system)
    return forwarding


@transaction.atomic
def forwarding_resend(
    *, actor: User, forwarding_pk: int, ip: str | None = None
) -> ForwardingAddress:
    """Send the confirmation mail again (at most once a minute per address)."""
    require(actor, Perm.MANAGE_MAIL)
    forwarding = ForwardingAddress.objects.select_for_update().filter(pk=forwarding_pk).first()
    if forwarding is None:
        raise ValidationError(_("No such forwarding address."))
    if forwarding.verified_at is not None:
        raise ValidationError(
            _("Forwarding from %(address)s is already confirmed.") % {"address": forwarding.address}
        )
    if not ratelimit.hit("fwd-resend", str(forwarding.pk), limit=1, window=RESEND_EVERY_SECONDS):
        raise ValidationError(_("The confirmation mail was just sent; wait a minute."))
    forwarding.verification_sent_at = timezone.now()
    forwarding.save(update_fields=["verification_sent_at"])
    _send_confirmation(forwarding, _this_system())
    return forwarding


@transaction.atomic
def forwarding_remove(*, actor: User, forwarding_pk: int, ip: str | None = None) -> str:
    """Stop listing an address; returns it. Mail it forwards still arrives (it is addressed
    to the support address), this only forgets the confirmation."""
    require(actor, Perm.MANAGE_MAIL)
    forwarding = ForwardingAddress.objects.select_for_update().filter(pk=forwarding_pk).first()
    if forwarding is None:
        raise ValidationError(_("No such forwarding address."))
    address = forwarding.address
    forwarding.delete()
    audit_record(
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=address,
        ip=ip,
        detail={"forwarding_address": [address, ""]},
    )
    return address
