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
from django.utils.translation import gettext_lazy as _

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
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    AGENT = "agent", _("Agent")
    MEMBER = "member", _("Member")


class User(AbstractBaseUser, PermissionsMixin):
    """An account. In a System's schema it is one person's seat in that System; in the
    public schema it is an operator who signs in to Django admin.

    A person in two Systems has two accounts: an account belongs to one System.
    """

    Role = Role

    email = models.EmailField(_("email address"), unique=True)
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
    is_staff = models.BooleanField(default=False, help_text=_("Operators only: may use admin."))
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
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    invited_by_name = models.CharField(max_length=150, help_text=_("Kept if the inviter leaves."))
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
        REGISTERED = "registered", _("Registered")
        DEACTIVATED = "deactivated", _("Deactivated")
        REACTIVATED = "reactivated", _("Reactivated")
        DELETED = "deleted", _("Deleted")

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
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Signed out")
        INVITE_SENT = "invite_sent", _("Invitation sent")
        INVITE_RESENT = "invite_resent", _("Invitation resent")
        INVITE_REVOKED = "invite_revoked", _("Invitation revoked")
        INVITE_ACCEPTED = "invite_accepted", _("Invitation accepted")
        ROLE_CHANGED = "role_changed", _("Role changed")
        USER_DEACTIVATED = "user_deactivated", _("Account deactivated")
        USER_REACTIVATED = "user_reactivated", _("Account reactivated")
        USER_SUSPENDED = "user_suspended", _("Account suspended by the operator")
        USER_UNSUSPENDED = "user_unsuspended", _("Suspension lifted by the operator")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        EMAIL_CHANGED = "email_changed", _("Email changed")
        MFA_ENABLED = "mfa_enabled", _("Two-factor authentication added")
        MFA_DISABLED = "mfa_disabled", _("Two-factor authentication removed")
        SESSIONS_ENDED = "sessions_ended", _("Other sessions signed out")
        OWNERSHIP_TRANSFERRED = "ownership_transferred", _("Ownership transferred")
        SECURITY_REPORT = "security_report", _("Account reported as compromised")
        SYSTEM_CREATED = "system_created", _("System created")
        SETTINGS_CHANGED = "settings_changed", _("Settings changed")
        PROFILE_CHANGED = "profile_changed", _("Name or phone changed")
        SEAT_CAP_CHANGED = "seat_cap_changed", _("Seat cap changed")
        TERMS_ACCEPTED = "terms_accepted", _("Terms accepted")
        TERMS_DECLINED = "terms_declined", _("Terms declined")
        OPERATOR_ACCESS_GRANTED = "operator_access", _("Operator access opened")
        OPERATOR_ACCESS_ENDED = "operator_access_end", _("Operator access ended")
        CONSENT_CHANGED = "consent_changed", _("Consent changed")
        CONTENT_REPORTED = "content_reported", _("Content reported")
        CONTENT_REMOVED = "content_removed", _("Content removed by the operator")
        CONTENT_APPEALED = "content_appealed", _("Removal answered")
        CONTENT_RESTORED = "content_restored", _("Content restored by the operator")
        SYSTEM_STATUS_CHANGED = "system_status", _("Status of the help desk changed")
        PLAN_CHANGED = "plan_changed", _("Plan or seat cap changed")
        INVOICE_ISSUED = "invoice_issued", _("Invoice issued")
        INVOICE_PAID = "invoice_paid", _("Invoice paid")
        EXPORT_REQUESTED = "export_requested", _("Export of all data started")
        EXPORT_DOWNLOADED = "export_downloaded", _("Export downloaded")
        SYSTEM_IMPORTED = "system_imported", _("Help desk imported from an export")
        TICKET_TRASHED = "ticket_trashed", _("Ticket moved to the trash")
        TICKET_RESTORED = "ticket_restored", _("Ticket restored from the trash")
        TICKET_PURGED = "ticket_purged", _("Ticket deleted for good")
        ATTACHMENT_TRASHED = "attachment_trashed", _("File moved to the trash")
        ATTACHMENT_RESTORED = "attachment_restored", _("File restored from the trash")
        ATTACHMENT_PURGED = "attachment_purged", _("File deleted for good")
        MESSAGE_EDITED = "message_edited", _("Message edited")
        MESSAGE_DELETED = "message_deleted", _("Message deleted")
        ATTACHMENT_DELETED = "attachment_deleted", _("File deleted from a conversation")
        USER_DELETED = "user_deleted", _("Account deleted")
        DELETION_SCHEDULED = "deletion_scheduled", _("Deletion of the help desk scheduled")
        DELETION_CANCELLED = "deletion_cancelled", _("Deletion of the help desk cancelled")
        RESTORE_REQUESTED = "restore_requested", _("Restore from a backup requested")
        RESTORE_ANSWERED = "restore_answered", _("Restore request answered by the operator")
        SYSTEM_RESTORED = "system_restored", _("Help desk restored from a backup")
        MAIL_RELEASED = "mail_released", _("Held mail let in")
        MAIL_RETRIED = "mail_retried", _("Failed mail read again")
        MAIL_DISCARDED = "mail_discarded", _("Held or failed mail discarded")
        SLA_CHANGED = "sla_changed", _("Business hours, holidays or SLA policies changed")
        FIELDS_CHANGED = "fields_changed", _("Ticket fields changed")
        SHARED_TOOLS_CHANGED = (
            "shared_tools_changed",
            _("Shared responses, macros or views changed"),
        )
        ARTICLE_DELETED = "article_deleted", _("Help-center article deleted")
        SSO_CHANGED = "sso_changed", _("Single sign-on changed")
        SSO_DOMAIN_ADDED = "sso_domain_added", _("Email domain added for single sign-on")
        SSO_DOMAIN_VERIFIED = "sso_domain_verified", _("Email domain verified")
        SSO_DOMAIN_REMOVED = "sso_domain_removed", _("Email domain removed")
        SSO_JOINED = "sso_joined", _("Joined through single sign-on (verified domain)")
        SSO_LINKED = "sso_linked", _("Account linked to the single sign-on provider")
        SSO_UNLINKED = "sso_unlinked", _("Account unlinked from the single sign-on provider")
        SSO_REFUSED = "sso_refused", _("Single sign-on refused")
        API_TOKEN_CREATED = "api_token_created", _("API token created")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
        API_ADMIN_CALL = "api_admin_call", _("API call with the admin scope")

    created_at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=32, choices=Action.choices)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, help_text=_("Who, as shown at the time."))
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
        return str(_AUDIT_ACTION_LABELS.get(self.action, self.action))

    @property
    def change(self) -> tuple[str, str] | None:
        """(before, after) as people read them, or None: the detail stores codes (a role
        change stores "agent", "admin"), shown here in the reader's language."""
        before, after = self.detail.get("from"), self.detail.get("to")
        if not before and not after:
            return None
        if self.action == self.Action.ROLE_CHANGED:
            labels = dict(Role.choices)
            before, after = labels.get(before, before), labels.get(after, after)
        nothing = "\N{EN DASH}"
        return str(before or nothing), str(after or nothing)


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
        OPEN = "open", _("Open")
        INVESTIGATING = "investigating", _("Investigating")
        RESOLVED = "resolved", _("Resolved")

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
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")

    system = models.ForeignKey("tenants.System", on_delete=models.CASCADE, related_name="+")
    claimant_name = models.CharField(max_length=200)
    claimant_email = models.EmailField()
    account_email = models.EmailField(help_text=_("The account (in the System) in dispute."))
    claim = models.TextField()
    evidence = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    decision = models.TextField(blank=True)
    new_owner_email = models.EmailField(
        blank=True,
        help_text=_("When the decision moves ownership: the account that becomes owner."),
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


# Models of accounts' sub-domains, which live in their sub-packages (Django loads an app's
# models from its models module).
from accounts.apitokens.models import ApiToken, IdempotencyKey  # noqa: E402, F401
from accounts.sso.models import SingleSignOn, VerifiedDomain  # noqa: E402, F401
