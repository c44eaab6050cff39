"""Accounts of a System: people, their invitations, seats and the audit trail.

Everything here lives in a System's schema except the operator records at the end
(SecurityReport, AccountDispute), which live in the public schema; see
settings.PUBLIC_ONLY_MODELS and servicedesk/routers.py.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from servicedesk.locales import validate_language, validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    AGENT = "agent", "Agent"
    MEMBER = "member", "Member"


class User(AbstractBaseUser, PermissionsMixin):
    """An account. In a System's schema it is one person's seat in that System; in the
    public schema it is an operator who signs in to Django admin.

    A person in two Systems has two accounts: an account belongs to one System.
    """

    Role = Role

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    # Optional, in E.164 (+84912345678); accounts.phones checks and formats it.
    phone = models.CharField(max_length=16, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    # An active account holds a seat; deactivating frees it.
    is_active = models.BooleanField(default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # The operator may suspend one account (e.g. during an ownership dispute): it keeps its
    # seat but can't sign in, and sees the reason.
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)
    # Each person may refuse feature announcements, whatever the System's consent.
    receives_announcements = models.BooleanField(default=True)
    # Blank: the browser's language, then the System's; the System's time zone.
    language = models.CharField(max_length=8, blank=True, validators=[validate_language])
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone])
    is_staff = models.BooleanField(default=False, help_text="Operators only: may use admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            # Exactly one owner per System (the public schema's operators are never owners).
            models.UniqueConstraint(
                fields=["role"], condition=Q(role="owner"), name="accounts_user_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class Invitation(models.Model):
    """An email invitation to take a seat in this System with a role.

    Only the SHA-256 of the token is stored; the token itself exists only in the email.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    invited_by_name = models.CharField(max_length=150, help_text="Kept if the inviter leaves.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(default=timezone.now)
    send_count = models.PositiveSmallIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address at a time.
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="accounts_invitation_one_open_per_email",
            ),
        ]
        indexes = [models.Index(fields=["expires_at"], name="accounts_inv_expires_idx")]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    def status_at(self, now) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())


class SeatEvent(models.Model):
    """The seat ledger: every +1/-1 with the count after it. Billing bills its peak."""

    class Reason(models.TextChoices):
        REGISTERED = "registered", "Registered"
        DEACTIVATED = "deactivated", "Deactivated"
        REACTIVATED = "reactivated", "Reactivated"
        DELETED = "deleted", "Deleted"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    user_email = models.EmailField()
    delta = models.SmallIntegerField()
    seats_after = models.PositiveIntegerField()
    reason = models.CharField(max_length=16, choices=Reason.choices)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.delta:+d} {self.user_email} → {self.seats_after}"


class AuditEvent(models.Model):
    """Append-only trail of what happened to accounts in this System.

    The table refuses UPDATE and DELETE at the database level (trigger in the migration);
    actors are kept as id + label so a deleted account leaves its history intact.
    """

    class Action(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        LOGOUT = "logout", "Signed out"
        INVITE_SENT = "invite_sent", "Invitation sent"
        INVITE_RESENT = "invite_resent", "Invitation resent"
        INVITE_REVOKED = "invite_revoked", "Invitation revoked"
        INVITE_ACCEPTED = "invite_accepted", "Invitation accepted"
        ROLE_CHANGED = "role_changed", "Role changed"
        USER_DEACTIVATED = "user_deactivated", "Account deactivated"
        USER_REACTIVATED = "user_reactivated", "Account reactivated"
        USER_SUSPENDED = "user_suspended", "Account suspended by the operator"
        USER_UNSUSPENDED = "user_unsuspended", "Suspension lifted by the operator"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset"
        EMAIL_CHANGED = "email_changed", "Email changed"
        MFA_ENABLED = "mfa_enabled", "Two-factor authentication added"
        MFA_DISABLED = "mfa_disabled", "Two-factor authentication removed"
        SESSIONS_ENDED = "sessions_ended", "Other sessions signed out"
        OWNERSHIP_TRANSFERRED = "ownership_transferred", "Ownership transferred"
        SECURITY_REPORT = "security_report", "Account reported as compromised"
        SYSTEM_CREATED = "system_created", "System created"
        SETTINGS_CHANGED = "settings_changed", "Settings changed"
        PROFILE_CHANGED = "profile_changed", "Name or phone changed"
        SEAT_CAP_CHANGED = "seat_cap_changed", "Seat cap changed"
        TERMS_ACCEPTED = "terms_accepted", "Terms accepted"
        TERMS_DECLINED = "terms_declined", "Terms declined"
        OPERATOR_ACCESS_GRANTED = "operator_access", "Operator access opened"
        OPERATOR_ACCESS_ENDED = "operator_access_end", "Operator access ended"
        CONSENT_CHANGED = "consent_changed", "Consent changed"
        CONTENT_REPORTED = "content_reported", "Content reported"
        CONTENT_REMOVED = "content_removed", "Content removed by the operator"
        CONTENT_APPEALED = "content_appealed", "Removal answered"
        CONTENT_RESTORED = "content_restored", "Content restored by the operator"
        SYSTEM_STATUS_CHANGED = "system_status", "Status of the help desk changed"
        PLAN_CHANGED = "plan_changed", "Plan or seat cap changed"
        INVOICE_ISSUED = "invoice_issued", "Invoice issued"
        INVOICE_PAID = "invoice_paid", "Invoice paid"
        EXPORT_REQUESTED = "export_requested", "Export of all data started"
        EXPORT_DOWNLOADED = "export_downloaded", "Export downloaded"
        SYSTEM_IMPORTED = "system_imported", "Help desk imported from an export"
        TICKET_TRASHED = "ticket_trashed", "Ticket moved to the trash"
        TICKET_RESTORED = "ticket_restored", "Ticket restored from the trash"
        TICKET_PURGED = "ticket_purged", "Ticket deleted for good"
        ATTACHMENT_TRASHED = "attachment_trashed", "File moved to the trash"
        ATTACHMENT_RESTORED = "attachment_restored", "File restored from the trash"
        ATTACHMENT_PURGED = "attachment_purged", "File deleted for good"
        MESSAGE_EDITED = "message_edited", "Message edited"
        MESSAGE_DELETED = "message_deleted", "Message deleted"
        ATTACHMENT_DELETED = "attachment_deleted", "File deleted from a conversation"
        USER_DELETED = "user_deleted", "Account deleted"
        DELETION_SCHEDULED = "deletion_scheduled", "Deletion of the help desk scheduled"
        DELETION_CANCELLED = "deletion_cancelled", "Deletion of the help desk cancelled"
        RESTORE_REQUESTED = "restore_requested", "Restore from a backup requested"
        RESTORE_ANSWERED = "restore_answered", "Restore request answered by the operator"
        SYSTEM_RESTORED = "system_restored", "Help desk restored from a backup"
        MAIL_RELEASED = "mail_released", "Held mail let in"
        MAIL_RETRIED = "mail_retried", "Failed mail read again"
        MAIL_DISCARDED = "mail_discarded", "Held or failed mail discarded"
        SLA_CHANGED = "sla_changed", "Business hours, holidays or SLA policies changed"
        FIELDS_CHANGED = "fields_changed", "Ticket fields changed"
        SHARED_TOOLS_CHANGED = "shared_tools_changed", "Shared responses, macros or views changed"
        ARTICLE_DELETED = "article_deleted", "Help-center article deleted"

    created_at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=32, choices=Action.choices)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, help_text="Who, as shown at the time.")
    target_label = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="accounts_audit_time_idx"),
            models.Index(fields=["action", "-created_at", "-id"], name="accounts_audit_action_idx"),
            models.Index(
                fields=["actor_id", "-created_at", "-id"], name="accounts_audit_actor_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.action_label}"

    @property
    def action_label(self) -> str:
        # A plain dict lookup: get_action_display() costs a choices walk per row.
        return _AUDIT_ACTION_LABELS.get(self.action, self.action)


_AUDIT_ACTION_LABELS = dict(AuditEvent.Action.choices)


class LoginHandoff(models.Model):
    """A single-use, short-lived login link into this System (after signup, or when an
    owner opens another System). Cookies are host-only, so a session can't be shared."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    nonce_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"login link for {self.user_id}"


# --- operator records (public schema) ---------------------------------------------------


class SecurityReport(models.Model):
    """ "I think someone else used my account": what the operator follows up in admin."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        INVESTIGATING = "investigating", "Investigating"
        RESOLVED = "resolved", "Resolved"

    system = models.ForeignKey("tenants.System", on_delete=models.CASCADE, related_name="+")
    user_id_in_system = models.BigIntegerField()
    user_email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    operator_notes = models.TextField(blank=True)
    resolution = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="accounts_secrep_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_email} ({self.get_status_display()})"


class AccountDispute(models.Model):
    """A dispute over who owns a System's account (the terms make the operator arbiter)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"

    system = models.ForeignKey("tenants.System", on_delete=models.CASCADE, related_name="+")
    claimant_name = models.CharField(max_length=200)
    claimant_email = models.EmailField()
    account_email = models.EmailField(help_text="The account (in the System) in dispute.")
    claim = models.TextField()
    evidence = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    decision = models.TextField(blank=True)
    new_owner_email = models.EmailField(
        blank=True, help_text="When the decision moves ownership: the account that becomes owner."
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A claim sent from the System's public form counts once the claimant confirms his
    # address; one the operator records himself is confirmed when made.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("decide_accountdispute", "Decide an account dispute")]

    def __str__(self) -> str:
        return f"{self.account_email} ({self.get_status_display()})"
