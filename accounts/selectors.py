"""Reads for accounts: people, invitations, seats, audit log."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime, time

from allauth.mfa.models import Authenticator
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import AuditEvent, Invitation, Role, SecurityReport, User
from accounts.permissions import Perm, require
from tenants.models import System

AUDIT_PAGE_SIZE = 50


def people_for_seats_page() -> QuerySet[User]:
    """Everyone with an account, active first, with "has two-factor" in the same query."""
    mfa = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return User.objects.annotate(has_mfa=Exists(mfa)).order_by("-is_active", "full_name", "email")


def has_second_factor(*, user: User) -> bool:
    """An authenticator app counts; recovery codes alone are no second factor."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def people_without_second_factor() -> QuerySet[User]:
    """Active people who would be sent to set up a second factor, if it were required."""
    mfa = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return (
        User.objects.filter(is_active=True, suspended_at__isnull=True)
        .exclude(Exists(mfa))
        .order_by("full_name", "email")
    )


def security_reports_of(*, system: System, user: User) -> QuerySet[SecurityReport]:
    """What ``user`` reported of unauthorised use in ``system``, newest first."""
    return SecurityReport.objects.filter(system=system, user_id_in_system=user.pk)


def invitations_pending() -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("expires_at")


@dataclass(frozen=True)
class SeatSummary:
    used: int
    pending: int
    cap: int

    @property
    def free(self) -> int:
        return max(self.cap - self.used - self.pending, 0)

    @property
    def percent_used(self) -> int:
        return min(round(100 * self.used / self.cap), 100) if self.cap else 100


def seat_summary(*, system: System) -> SeatSummary:
    return SeatSummary(
        used=User.objects.filter(is_active=True).count(),
        pending=invitations_pending().count(),
        cap=system.seat_cap,
    )


def user_get_for_admin(*, actor: User, user_id: int, perm: Perm) -> User:
    """Another account of this System that ``actor`` may act on with ``perm``.

    404 for ids that aren't accounts here; PermissionDenied when the actor may see the
    account (he manages people) but not do this to it (the owner, himself).
    """
    require(actor, Perm.VIEW_PEOPLE)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404("No such account.")
    require(actor, perm, user)
    return user


def invitation_get_for_admin(*, actor: User, invitation_id: int) -> Invitation:
    require(actor, Perm.MANAGE_INVITATIONS)
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def transfer_candidates() -> QuerySet[User]:
    return User.objects.filter(is_active=True, suspended_at__isnull=True).exclude(role=Role.OWNER)


def admins_and_owner() -> QuerySet[User]:
    return User.objects.filter(
        role__in=[Role.OWNER, Role.ADMIN], is_active=True, suspended_at__isnull=True
    )


def owner_emails(*, system: System) -> list[str]:
    """Addresses of ``system``'s active owner (read in its schema, from anywhere)."""
    with schema_context(system.schema_name):
        return list(
            User.objects.filter(role=Role.OWNER, is_active=True).values_list("email", flat=True)
        )


def admin_emails(*, system: System) -> list[str]:
    """Addresses of ``system``'s active owner and admins."""
    with schema_context(system.schema_name):
        return list(
            User.objects.filter(role__in=[Role.OWNER, Role.ADMIN], is_active=True).values_list(
                "email", flat=True
            )
        )


# --- audit log: keyset pagination, so page 1 and page 20,000 cost the same ---------------


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor_id: int | None = None
    since: date | None = None
    until: date | None = None


def _encode_cursor(event: AuditEvent) -> str:
    raw = f"{event.created_at.isoformat()}|{event.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, _, pk = base64.urlsafe_b64decode(padded).decode().partition("|")
        return datetime.fromisoformat(stamp), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def audit_page(
    *, actor: User, filters: AuditFilter, cursor: str = "", size: int = AUDIT_PAGE_SIZE
) -> tuple[list[AuditEvent], str | None]:
    """One page of the audit log, newest first; returns the events and the next cursor."""
    require(actor, Perm.VIEW_AUDIT)
    events = AuditEvent.objects.all()
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor_id:
        events = events.filter(actor_id=filters.actor_id)
    zone = timezone.get_current_timezone()
    if filters.since:
        events = events.filter(created_at__gte=datetime.combine(filters.since, time.min, zone))
    if filters.until:
        events = events.filter(created_at__lte=datetime.combine(filters.until, time.max, zone))
    position = _decode_cursor(cursor) if cursor else None
    if position:
        # A row comparison walks the (created_at, id) index straight to the position;
        # the equivalent OR of two conditions makes PostgreSQL scan instead.
        events = events.filter(
            RawSQL(
                '("accounts_auditevent"."created_at", "accounts_auditevent"."id") < (%s, %s)',
                position,
                output_field=BooleanField(),
            )
        )
    rows = list(events.order_by("-created_at", "-id")[: size + 1])
    next_cursor = _encode_cursor(rows[size - 1]) if len(rows) > size else None
    return rows[:size], next_cursor


def person_locale(address: str) -> tuple[str, str] | None:
    """(language, time zone) the person at ``address`` chose here (blanks: the System's),
    or None when nobody here has that address (a contact, or the public schema's mail)."""
    if getattr(connection, "schema_name", None) == get_public_schema_name():
        return None
    return User.objects.filter(email__iexact=address).values_list("language", "time_zone").first()
