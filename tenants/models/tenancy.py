"""The tenancy core: who pays (Customer), the help desk (System, one schema each), the
host it answers on (Domain), and the deletion its owner scheduled (routing reads it)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from servicedesk.locales import DEFAULT_TIME_ZONE, validate_language, validate_time_zone
from tenants.validators import validate_subdomain


class Customer(models.Model):
    """The organisation or person who accepted the terms and pays for its Systems."""

    name = models.CharField(max_length=200)
    email = models.EmailField(help_text=_("Billing and legal contact."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class System(TenantMixin):
    """One help desk: its own schema, users, seats and subdomain.

    Rows in status ``pooled`` are ready, migrated schemas waiting for a signup; they have
    no customer, slug or domain yet. The schema name is opaque (``s_000123``) so that a
    change of subdomain never touches the schema.
    """

    class Status(models.TextChoices):
        POOLED = "pooled", _("Pooled (unclaimed)")
        TRIAL = "trial", _("Trial")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        TERMINATED = "terminated", _("Terminated")

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="systems", null=True, blank=True
    )
    name = models.CharField(max_length=200, blank=True)
    slug = models.CharField(
        max_length=63, unique=True, null=True, blank=True, validators=[validate_subdomain]
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.POOLED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text=_("When the schema was made."))
    claimed_at = models.DateTimeField(null=True, blank=True, help_text=_("When a signup took it."))

    # Seats: the operator sets the cap (until plans exist); the count of active accounts is
    # kept here by the seat services, under this row's lock, so admin lists need no
    # cross-schema queries. The System's SeatEvent ledger is the record.
    seat_cap = models.PositiveIntegerField(default=5)
    seats_used = models.PositiveIntegerField(default=0)
    owner_email = models.EmailField(blank=True)

    # Set by the owner.
    idle_timeout_minutes = models.PositiveIntegerField(
        default=8 * 60, help_text=_("Sign people out after this long without activity.")
    )
    # The defaults of its people (each may choose their own): the language of pages and mail
    # before the browser says otherwise, and the zone every time is shown in.
    language = models.CharField(
        max_length=8, default=settings.LANGUAGE_CODE, validators=[validate_language]
    )
    time_zone = models.CharField(
        max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone]
    )
    invite_expiry_days = models.PositiveSmallIntegerField(
        default=7, help_text=_("How long an invitation link stays valid.")
    )
    # Consents the owner gives (their history is legal.ConsentChange).
    consent_reference = models.BooleanField(
        default=False, help_text=_("The operator may name the company as a reference customer.")
    )
    consent_announcements = models.BooleanField(
        default=True, help_text=_("People here may get feature announcements.")
    )

    # Set by the owner: everyone must sign in with a second factor (accounts.middleware sends
    # people without one to set it up, and nobody may turn theirs off meanwhile).
    require_second_factor = models.BooleanField(
        default=False, help_text=_("Everyone must use two-factor authentication.")
    )

    # Set by the operator.
    attachment_max_mb = models.PositiveIntegerField(
        default=25, help_text=_("Largest file a person may attach, in MB.")
    )
    # Bytes the System's files take: attachments, their thumbnails and export archives. Kept
    # by tenants.storage in the transactions that add or remove them, so pages and
    # the upload check read it without walking the disk; ``storage_recount`` repairs drift.
    storage_used = models.PositiveBigIntegerField(default=0)
    # The last usage warning the owner was sent (0, 80 or 100 per cent of the quota); lower
    # again when usage falls back, so a later crossing warns again.
    storage_notice_level = models.PositiveSmallIntegerField(default=0)
    # Set by the owner: may agents move tickets and files to the trash (admins always may)?
    agents_may_delete = models.BooleanField(
        default=False, help_text=_("Agents may move tickets and files to the trash.")
    )

    # Billing and lifecycle (tenants.lifecycle.services is the only writer of status).
    plan = models.ForeignKey(
        "Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="systems"
    )
    plan_started_at = models.DateTimeField(null=True, blank=True)
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True, help_text=_("Why the last transition happened."))
    retention_until = models.DateTimeField(
        null=True, blank=True, help_text=_("Terminated: the owner may export until then.")
    )

    # Schemas are made by tenants.services, inside the transaction that records them.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["slug"]
        # Operator actions beyond add/change/view (groups: tenants/migrations/0010).
        permissions = [
            ("access_system_data", "Open a System's data, with a stated reason"),
            ("suspend_person", "Suspend or restore a person's account in a System"),
            ("change_system_status", "Suspend, resume or terminate a System; extend a trial"),
        ]

    def __str__(self) -> str:
        return self.slug or self.schema_name


class Domain(DomainMixin):
    def __str__(self) -> str:
        return self.domain


class Requester(models.Model):
    """Who in a System asked (their account lives in the System's schema, so it is kept here
    as id, name and address at the time)."""

    requested_by_id = models.BigIntegerField(null=True, blank=True)
    requested_by_label = models.CharField(max_length=200)
    requested_by_email = models.EmailField()

    class Meta:
        abstract = True


class ScheduledDeletion(Requester):
    """The owner asked to delete the whole System; it happens at ``due_at`` unless undone."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="deletions_asked")
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    undo_token_hash = models.CharField(max_length=64, unique=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["system"],
                condition=models.Q(cancelled_at__isnull=True),
                name="tenants_one_pending_deletion",
            )
        ]
        indexes = [models.Index(fields=["due_at"], name="tenants_deletion_due_idx")]

    def __str__(self) -> str:
        return f"deletion of {self.system_id} due {self.due_at:%Y-%m-%d %H:%M}"
