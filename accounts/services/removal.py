"""Deleting an account: by the owner or an admin (never the owner's, never one's own
this way), or by the person himself after re-entering his password (not the owner: he
transfers ownership first).

The row goes; what he wrote stays, signed "Deleted user" (the foreign keys are SET NULL;
apps that keep his name as text forget it on ``accounts.hooks.person_deleted``).
His seat is freed in the SeatEvent ledger and his sessions end. The audit log keeps his
address as text, as it keeps every actor.

Deleting a row cascades to every table that points at accounts_user. Each of those tables
exists in the System's schema (admin's log too: settings.TENANT_APPS), so the search path
never falls through to public's tables, where the same id is an operator's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.hooks import person_deleted, person_left
from accounts.models import AuditEvent, Role, SeatEvent, User
from accounts.permissions import Perm, can
from accounts.services.audit import audit_record
from accounts.services.seats import seat_ledger_record, system_lock
from accounts.services.security import sessions_end_all

DELETED_USER = "Deleted user"


def _delete(*, actor: User, user: User, ip: str | None, by_self: bool) -> str:
    system = system_lock()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role == Role.OWNER:
        raise ValidationError(_("The owner's account can't be deleted; transfer ownership first."))
    email, held_seat = user.email, user.is_active
    audit_record(
        action=AuditEvent.Action.USER_DELETED,
        actor=actor,
        target=email,
        ip=ip,
        detail={"by_self": by_self, "role": user.role},
    )
    sessions_end_all(user=user)
    name_kept = User.objects.exclude(pk=user.pk).filter(full_name=user.get_full_name()).exists()
    person_deleted.send(sender=User, user=user, name_kept=name_kept)
    if held_seat:  # one deactivated earlier left then
        person_left.send(sender=User, user=user, reason="deleted")
    user.delete()
    if held_seat:
        seat_ledger_record(
            system=system, user=None, email=email, delta=-1, reason=SeatEvent.Reason.DELETED
        )
    return email


@transaction.atomic
def user_delete(*, actor: User, user: User, ip: str | None = None) -> str:
    """The owner or an admin deletes another person's account; returns its address."""
    if not can(actor, Perm.DEACTIVATE, user):
        raise PermissionDenied(Perm.DEACTIVATE.value)
    return _delete(actor=actor, user=user, ip=ip, by_self=False)


@transaction.atomic
def account_delete_own(*, user: User, password: str, ip: str | None = None) -> str:
    """A person deletes his own account after re-entering his password."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in first.")
    if user.role == Role.OWNER:
        raise ValidationError(_("You own this help desk: transfer ownership first."))
    if not user.check_password(password):
        raise ValidationError({"password": _("That is not your password.")})
    return _delete(actor=user, user=user, ip=ip, by_self=True)
