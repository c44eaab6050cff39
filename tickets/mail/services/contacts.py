"""Contacts invited to become people of the System."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Invitation, Role, User
from accounts.permissions import Perm, require
from accounts.services.invitations import invitation_create
from tickets.mail.models import Contact
from tickets.models import Ticket


@transaction.atomic
def contact_invite(*, actor: User, contact_pk: int, ip: str | None = None) -> Invitation:
    """Invite a contact as a member, through the invitations service (it checks the seat
    cap under the System's lock). Accepting links him (contact_person_joined)."""
    require(actor, Perm.INVITE)
    contact = Contact.objects.filter(pk=contact_pk).first()
    if contact is None:
        raise ValidationError(_("No such contact."))
    if contact.person_id is not None:
        raise ValidationError(
            _("%(email)s is already a person of this System.") % {"email": contact.email}
        )
    return invitation_create(actor=actor, email=contact.email, role=Role.MEMBER, ip=ip)


def contact_person_joined(*, user: User, **kwargs: object) -> None:
    """accounts.hooks.person_joined: someone who wrote as a contact registered with the same
    address. His tickets become his own; the contact stays, for the history."""
    contact = Contact.objects.filter(email__iexact=user.email, person__isnull=True).first()
    if contact is None:
        return
    contact.person = user
    contact.save(update_fields=["person"])
    Ticket.objects.filter(contact=contact, requester__isnull=True).update(requester=user)
