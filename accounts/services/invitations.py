"""Invitations: the only way into a System after its signup.

A token is random, emailed once, stored as its SHA-256, single-use and expiring. No
invitation is sent when active seats plus pending invitations would pass the cap, and
accepting takes a seat under the System's row lock, so concurrent accepts can't
oversubscribe.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.hooks import person_joined
from accounts.models import AuditEvent, Invitation, Role, User
from accounts.permissions import Perm, assignable_roles, require
from accounts.services.audit import audit_record
from accounts.services.seats import seats_active, system_lock, user_register
from servicedesk import mail, ratelimit
from servicedesk.tokens import new_token, token_hash
from tenants import selectors as tenant_selectors
from tenants.models import System


class InvitationUnusable(Exception):
    """The link is expired, revoked, already used, or never existed."""

    def __init__(self, status: str) -> None:
        self.status = status
        super().__init__(status)


@dataclass
class LineResult:
    line: int
    text: str
    email: str
    role: str
    ok: bool
    message: str


def pending_invitations():
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def seats_committed() -> int:
    """Active accounts plus invitations that may still become accounts."""
    return seats_active() + pending_invitations().count()


def _normalise_email(raw: str) -> str:
    email = parseaddr(raw.strip())[1].strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("“%(text)s” is not an email address.") % {"text": raw.strip()}
        ) from None
    return email


def _send(invitation: Invitation, token: str, system: System) -> None:
    mail.send_templated(
        to=[invitation.email],
        template="invitation",
        context={
            "system": system,
            "invitation": invitation,
            "accept_url": tenant_selectors.system_url(system=system, path=f"/invite/{token}/"),
        },
    )


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    email: str,
    role: str,
    ip: str | None = None,
    system: System | None = None,
) -> Invitation:
    """Invite one address. Raises ValidationError with a message fit for the person."""
    require(actor, Perm.INVITE)
    if role not in assignable_roles(actor):
        raise ValidationError(_("Choose admin, agent or member."))
    email = _normalise_email(email)
    system = system or system_lock()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.is_active:
            raise ValidationError(_("%(email)s already has an account here.") % {"email": email})
        raise ValidationError(
            _("%(email)s has a deactivated account: reactivate it instead.") % {"email": email}
        )
    now = timezone.now()
    open_invitation = (
        Invitation.objects.select_for_update()
        .filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if open_invitation is not None:
        if open_invitation.expires_at > now:
            until = date_format(timezone.localtime(open_invitation.expires_at), "DATE_FORMAT")
            raise ValidationError(
                _("%(email)s is already invited (until %(date)s).")
                % {"email": email, "date": until}
            )
        open_invitation.revoked_at = now  # an expired one gives way to the new one
        open_invitation.save(update_fields=["revoked_at"])
    if seats_committed() >= system.seat_cap:
        raise ValidationError(
            _(
                "No free seat: all %(cap)s seats are taken or promised to pending invitations. "
                "Revoke an invitation, deactivate someone, or ask for more seats."
            )
            % {"cap": system.seat_cap}
        )
    if not ratelimit.hit("invite", str(actor.pk), limit=settings.INVITES_PER_HOUR, window=3600):
        raise ValidationError(_("You have sent many invitations in the last hour; try later."))
    token, digest = new_token()
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        token_hash=digest,
        invited_by=actor,
        invited_by_name=actor.get_full_name(),
        created_at=now,
        last_sent_at=now,
        expires_at=now + timedelta(days=system.invite_expiry_days),
    )
    audit_record(
        action=AuditEvent.Action.INVITE_SENT,
        actor=actor,
        target=email,
        ip=ip,
        detail={"role": role},
    )
    _send(invitation, token, system)
    return invitation


def parse_invitation_text(text: str, *, default_role: str) -> list[tuple[int, str, str, str]]:
    """Lines of ``email`` or ``email, role`` (a header line ``email,role`` is skipped)."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "," in stripped:
            email, _comma, role = stripped.rpartition(",")
        else:
            email, role = stripped, ""
        rows.append((number, stripped, email.strip(), role.strip().lower() or default_role))
    if rows and rows[0][2].lower() == "email":
        rows = rows[1:]
    return rows


# Lines of one bulk invitation (text and file together).
MAX_INVITATIONS_AT_ONCE = 500


def parse_invitation_csv(data: bytes, *, default_role: str) -> list[tuple[int, str, str, str]]:
    """A CSV file with an ``email`` column and, optionally, a ``role`` column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not a UTF-8 text (CSV) file.")) from None
    if "\x00" in text:
        raise ValidationError(_("The file is not a text (CSV) file."))
    reader = csv.reader(io.StringIO(text))
    rows = [row for row in reader]
    if not rows:
        raise ValidationError(_("The file is empty."))
    header = [cell.strip().lower() for cell in rows[0]]
    if "email" in header:
        email_at, role_at = (
            header.index("email"),
            header.index("role") if "role" in header else None,
        )
        body, first_line = rows[1:], 2
    else:
        email_at, role_at, body, first_line = 0, 1 if len(rows[0]) > 1 else None, rows, 1
    parsed = []
    for number, row in enumerate(body, start=first_line):
        if not any(cell.strip() for cell in row):
            continue
        email = row[email_at].strip() if email_at < len(row) else ""
        role = row[role_at].strip().lower() if role_at is not None and role_at < len(row) else ""
        parsed.append((number, ",".join(row), email, role or default_role))
    return parsed


def invitations_create_many(
    *, actor: User, rows: list[tuple[int, str, str, str]], ip: str | None = None
) -> list[LineResult]:
    """Invite each row on its own: good lines are sent, bad ones say why.

    One submission holds the System's row lock for all its lines, so it is capped.
    """
    require(actor, Perm.INVITE)
    if len(rows) > MAX_INVITATIONS_AT_ONCE:
        raise ValidationError(
            {
                "addresses": _(
                    "That is %(count)s addresses; send at most %(most)s at once (split the "
                    "list and send the rest afterwards)."
                )
                % {"count": len(rows), "most": MAX_INVITATIONS_AT_ONCE}
            }
        )
    results = []
    with transaction.atomic():
        system = system_lock()
        seen: set[str] = set()
        for number, text, email, role in rows:
            result = LineResult(number, text, email, role, ok=False, message="")
            if role not in {r.value for r in Role} or role == Role.OWNER:
                result.message = _(
                    "“%(role)s” is not a role you can give (admin, agent, member)."
                ) % {"role": role}
            elif email.lower() in seen:
                result.message = _("Listed twice; invited once.")
            else:
                try:
                    with transaction.atomic():
                        invitation_create(actor=actor, email=email, role=role, ip=ip, system=system)
                except ValidationError as error:
                    result.message = " ".join(error.messages)
                else:
                    result.ok, result.message = True, _("Invitation sent.")
                    seen.add(email.lower())
            results.append(result)
    return results


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation, ip: str | None = None) -> Invitation:
    """Send a fresh link (the old one stops working) and restart the expiry."""
    require(actor, Perm.MANAGE_INVITATIONS)
    system = system_lock()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    status = invitation.status_at(now)
    if status not in {Invitation.Status.PENDING, Invitation.Status.EXPIRED}:
        raise ValidationError(
            _("This invitation is %(status)s; it can't be sent again.")
            % {"status": str(Invitation.Status(status).label).lower()}
        )
    if status == Invitation.Status.EXPIRED and seats_committed() >= system.seat_cap:
        raise ValidationError(
            _("No free seat: all %(cap)s seats are taken or promised.") % {"cap": system.seat_cap}
        )
    if not ratelimit.hit("invite-resend", str(invitation.pk), limit=1, window=60):
        raise ValidationError(_("This invitation was just sent; wait a minute before resending."))
    token, digest = new_token()
    invitation.token_hash = digest
    invitation.last_sent_at = now
    invitation.expires_at = now + timedelta(days=system.invite_expiry_days)
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "last_sent_at", "expires_at", "send_count"])
    audit_record(
        action=AuditEvent.Action.INVITE_RESENT, actor=actor, target=invitation.email, ip=ip
    )
    _send(invitation, token, system)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation, ip: str | None = None) -> Invitation:
    require(actor, Perm.MANAGE_INVITATIONS)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action=AuditEvent.Action.INVITE_REVOKED, actor=actor, target=invitation.email, ip=ip
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("invited_by").filter(token_hash=token_hash(token)).first()
    )


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    full_name: str,
    password: str,
    ip: str | None,
    user_agent: str,
) -> User:
    """Turn an invitation into an account, taking a seat.

    Raises InvitationUnusable (expired, revoked, used, unknown) or SeatsFull.
    """
    system = system_lock()  # first, always: the same lock order as invitation_create
    invitation = Invitation.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationUnusable("unknown")
    return invitation_take(
        system=system,
        invitation=invitation,
        full_name=full_name,
        password=password,
        ip=ip,
        user_agent=user_agent,
    )


@transaction.atomic
def invitation_take(
    *,
    system: System,
    invitation: Invitation,
    full_name: str,
    password: str | None,
    ip: str | None,
    user_agent: str,
    via: str = "",
) -> User:
    """The steps of accepting an invitation, for a caller holding the System's lock (taken
    first) and the invitation's row lock: the link's form, or single sign-on (``via``
    "sso", no password). Raises InvitationUnusable or SeatsFull."""
    status = invitation.status_at(timezone.now())
    if status != Invitation.Status.PENDING:
        raise InvitationUnusable(status)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationUnusable(Invitation.Status.ACCEPTED)
    user = user_register(  # raises SeatsFull when the last seat is gone
        email=invitation.email,
        full_name=full_name,
        role=invitation.role,
        password=password,
        system=system,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    detail = {"role": invitation.role, "invited_by": invitation.invited_by_name}
    if via:
        detail["via"] = via
    audit_record(
        action=AuditEvent.Action.INVITE_ACCEPTED,
        actor=user,
        target=invitation.email,
        ip=ip,
        detail=detail,
    )
    person_joined.send(sender=User, user=user, ip=ip, user_agent=user_agent)
    return user
