"""Seats: every active account of a System is one, the owner included.

Every change happens under a lock on the System's row (public schema), so two accepts or
two reactivations can't take the same last seat, and each is written to the SeatEvent
ledger with the count after it.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.hooks import person_left
from accounts.models import AuditEvent, Role, SeatEvent, User
from accounts.permissions import Perm, require
from accounts.services.audit import audit_record
from accounts.services.security import sessions_end_all
from servicedesk.schema import current_schema
from tenants.models import System


class SeatsFull(Exception):
    """No free seat: the System's seat cap is reached."""

    def __init__(self, system: System) -> None:
        self.system = system
        super().__init__(f"All {system.seat_cap} seats of {system} are taken.")


def system_lock() -> System:
    """Lock the current System's row for the rest of the transaction."""
    return System.objects.select_for_update().get(schema_name=current_schema())


def seats_active() -> int:
    return User.objects.filter(is_active=True).count()


def seat_cap_check(
    *, system: System, cap: int, most: int | None = None, plan_name: str = ""
) -> None:
    """The one rule for a seat cap, whoever sets it (the operator in admin, the owner with a
    plan): at least one seat, never below the seats in use, at most ``most`` (the plan's)."""
    if cap < 1:
        raise ValidationError({"seat_cap": _("A help desk needs at least one seat.")})
    if most is not None and cap > most:
        if plan_name:
            message = _("Choose between 1 and %(most)s seats on %(plan)s.") % {
                "most": most,
                "plan": plan_name,
            }
        else:
            message = _("Choose between 1 and %(most)s seats.") % {"most": most}
        raise ValidationError({"seat_cap": message})
    in_use = seats_active_of(system)
    if cap < in_use:
        raise ValidationError(
            {
                "seat_cap": _("%(count)s seats are in use; deactivate people first.")
                % {"count": in_use}
            }
        )


def seats_active_of(system: System) -> int:
    """Seats in use in ``system``, counted in its schema (callable from anywhere)."""
    with schema_context(system.schema_name):
        return seats_active()


def seat_ledger_record(
    *, system: System, user: User | None, email: str, delta: int, reason: str
) -> SeatEvent:
    """The one writer of the seat ledger (billing bills its peak): recount the active
    accounts onto the System's row (locked by the caller) and append the change."""
    system.seats_used = seats_active()
    fields = ["seats_used"]
    if user is not None and user.role == Role.OWNER:
        system.owner_email = user.email
        fields.append("owner_email")
    system.save(update_fields=fields)
    return SeatEvent.objects.create(
        user=user, user_email=email, delta=delta, seats_after=system.seats_used, reason=reason
    )


@transaction.atomic
def user_register(
    *,
    email: str,
    full_name: str,
    role: str,
    password: str | None = None,
    password_hash: str | None = None,
    system: System | None = None,
) -> User:
    """Create an account that takes a seat. Raises SeatsFull when none is free.

    Callers that already hold the System lock pass ``system``.
    """
    system = system or system_lock()
    if seats_active() >= system.seat_cap:
        raise SeatsFull(system)
    user = User(email=email.strip().lower(), full_name=full_name.strip(), role=role)
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.save()
    # The address was proven by the link that led here (signup or invitation).
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    seat_ledger_record(
        system=system, user=user, email=user.email, delta=+1, reason=SeatEvent.Reason.REGISTERED
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, ip: str | None = None) -> User:
    require(actor, Perm.DEACTIVATE, user)
    system = system_lock()
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    sessions_end_all(user=user)
    seat_ledger_record(
        system=system, user=user, email=user.email, delta=-1, reason=SeatEvent.Reason.DEACTIVATED
    )
    audit_record(action=AuditEvent.Action.USER_DEACTIVATED, actor=actor, target=user.email, ip=ip)
    person_left.send(sender=User, user=user, reason="deactivated")
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User, ip: str | None = None) -> User:
    require(actor, Perm.REACTIVATE, user)
    system = system_lock()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    if seats_active() >= system.seat_cap:
        raise SeatsFull(system)
    user.is_active = True
    user.deactivated_at = None
    user.save(update_fields=["is_active", "deactivated_at"])
    seat_ledger_record(
        system=system, user=user, email=user.email, delta=+1, reason=SeatEvent.Reason.REACTIVATED
    )
    audit_record(action=AuditEvent.Action.USER_REACTIVATED, actor=actor, target=user.email, ip=ip)
    return user
