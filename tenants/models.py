from datetime import date, timedelta
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin

from tenants.validators import validate_subdomain


class Customer(models.Model):
    """The organisation or person who accepted the terms and pays for its Systems."""

    name = models.CharField(max_length=200)
    email = models.EmailField(help_text="Billing and legal contact.")
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
        POOLED = "pooled", "Pooled (unclaimed)"
        TRIAL = "trial", "Trial"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        TERMINATED = "terminated", "Terminated"

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
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the schema was made.")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a signup took it.")

    # Seats: the operator sets the cap (until plans exist); the count of active accounts is
    # kept here by the seat services, under this row's lock, so admin lists need no
    # cross-schema queries. The System's SeatEvent ledger is the record.
    seat_cap = models.PositiveIntegerField(default=5)
    seats_used = models.PositiveIntegerField(default=0)
    owner_email = models.EmailField(blank=True)

    # Set by the owner.
    idle_timeout_minutes = models.PositiveIntegerField(
        default=8 * 60, help_text="Sign people out after this long without activity."
    )
    invite_expiry_days = models.PositiveSmallIntegerField(
        default=7, help_text="How long an invitation link stays valid."
    )
    # Consents the owner gives (their history is legal.ConsentChange).
    consent_reference = models.BooleanField(
        default=False, help_text="The operator may name the company as a reference customer."
    )
    consent_announcements = models.BooleanField(
        default=True, help_text="People here may get feature announcements."
    )

    # Set by the operator.
    attachment_max_mb = models.PositiveIntegerField(
        default=25, help_text="Largest file a person may attach, in MB."
    )
    # Bytes the System's files take: attachments, their thumbnails and export archives. Kept
    # by tenants.services.storage in the transactions that add or remove them, so pages and
    # the upload check read it without walking the disk; ``storage_recount`` repairs drift.
    storage_used = models.PositiveBigIntegerField(default=0)
    # The last usage warning the owner was sent (0, 80 or 100 per cent of the quota); lower
    # again when usage falls back, so a later crossing warns again.
    storage_notice_level = models.PositiveSmallIntegerField(default=0)
    # Set by the owner: may agents move tickets and files to the trash (admins always may)?
    agents_may_delete = models.BooleanField(
        default=False, help_text="Agents may move tickets and files to the trash."
    )

    # Billing and lifecycle (tenants.services.lifecycle is the only writer of status).
    plan = models.ForeignKey(
        "Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="systems"
    )
    plan_started_at = models.DateTimeField(null=True, blank=True)
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True, help_text="Why the last transition happened.")
    retention_until = models.DateTimeField(
        null=True, blank=True, help_text="Terminated: the owner may export until then."
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


class Signup(models.Model):
    """A signup waiting for its owner to confirm the email address.

    Nothing is created until the link in the email is followed; a pending signup holds its
    subdomain until it expires, after which it keeps nothing.
    """

    company_name = models.CharField(max_length=200)
    slug = models.CharField(max_length=63, validators=[validate_subdomain])
    full_name = models.CharField(max_length=150)
    email = models.EmailField()
    password_hash = models.CharField(max_length=256)
    terms_version_id = models.BigIntegerField()
    terms_version = models.CharField(max_length=20)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["slug", "expires_at"], name="tenants_signup_slug_idx")]

    def __str__(self) -> str:
        return f"{self.slug} ({self.email})"


# --- plans, invoices, payments ---------------------------------------------------------------


class Plan(models.Model):
    class BackupFrequency(models.TextChoices):
        HOURLY = "hourly", "Every hour"
        TWICE_DAILY = "twice_daily", "Twice a day"
        DAILY = "daily", "Every day"
        WEEKLY = "weekly", "Every week"

    name = models.CharField(max_length=80, unique=True)
    price_per_seat = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Per seat per month.",
    )
    currency = models.CharField(max_length=3, default="EUR")
    seat_cap = models.PositiveIntegerField(
        help_text="The most seats a System may hold on this plan."
    )
    storage_quota_mb = models.PositiveIntegerField(default=10_240)
    trial_days = models.PositiveSmallIntegerField(default=14)
    backup_frequency = models.CharField(
        max_length=12, choices=BackupFrequency.choices, default=BackupFrequency.DAILY
    )
    is_active = models.BooleanField(default=True, help_text="Offered to new subscriptions.")

    class Meta:
        ordering = ["price_per_seat", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.price_per_seat} {self.currency}/seat/month)"


class PlanChange(models.Model):
    """From this moment the System was on this plan at this price (for prorating)."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="plan_changes")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    price_per_seat = models.DecimalField(max_digits=10, decimal_places=2)
    seat_cap = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    by = models.CharField(max_length=200)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.system}: {self.plan} from {self.at:%Y-%m-%d}"


class InvoiceCounter(models.Model):
    """The last invoice number of a year, locked while an invoice takes the next one, so
    numbers have no gaps: a rolled-back invoice gives its number back."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Invoice(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    number = models.CharField(max_length=20, unique=True)
    # Invoices outlive their System (the operator keeps them after a deletion).
    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, related_name="invoices"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="invoices")
    system_name = models.CharField(max_length=200)
    system_slug = models.CharField(max_length=63)
    period_start = models.DateField()
    period_end = models.DateField(help_text="Exclusive.")
    seats_billed = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    lines = models.JSONField(default=list, help_text="What the amount is made of.")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    billed_in_advance = models.BooleanField(
        default=False, help_text="The first invoice, issued when the plan is chosen."
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    issued_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "period_start"], name="tenants_one_invoice_per_period"
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="tenants_invoice_due_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def last_day(self) -> date:
        """The period's last day (``period_end`` is the first day after it)."""
        return self.period_end - timedelta(days=1)

    @property
    def paid_amount(self) -> Decimal:
        return sum((p.amount for p in self.payments.all()), Decimal("0"))

    @property
    def balance(self) -> Decimal:
        return self.amount - self.paid_amount if self.status == self.Status.OPEN else Decimal("0")


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=40)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid_on = models.DateField()
    reference = models.CharField(max_length=120, help_text="Bank reference or provider id.")
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            # The same payment can't be recorded twice (a retried webhook, a double click).
            models.UniqueConstraint(fields=["provider", "reference"], name="tenants_payment_once")
        ]

    def __str__(self) -> str:
        return f"{self.amount} on {self.invoice} ({self.reference})"


# --- lifecycle -------------------------------------------------------------------------------


class LifecycleEvent(models.Model):
    """A System changed status: from, to, why, who. Kept after the System is deleted."""

    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, related_name="lifecycle_events"
    )
    system_slug = models.CharField(max_length=63)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    reason = models.TextField()
    actor = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.system_slug}: {self.from_status} → {self.to_status}"


class LifecycleNotice(models.Model):
    """A reminder that went out (trial ending in 7 days, invoice overdue…), once."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=60, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "kind", "key"], name="tenants_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.system_id} {self.kind} {self.key}"


class SystemDeletion(models.Model):
    """What the operator keeps of a deleted System (besides its invoices)."""

    slug = models.CharField(max_length=63)
    name = models.CharField(max_length=200)
    schema_name = models.CharField(max_length=63)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="deletions")
    reason = models.TextField()
    requested_by = models.CharField(max_length=200)
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"{self.slug} deleted {self.deleted_at:%Y-%m-%d}"


class MetricsSnapshot(models.Model):
    """One row a day: Systems by status and monthly recurring revenue, for the charts."""

    day = models.DateField(unique=True)
    systems_by_status = models.JSONField(default=dict)
    mrr = models.JSONField(default=dict, help_text="Per currency, as strings.")
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return str(self.day)


# --- data ownership: exports, imports, deletion, backups, restores ----------------------------


class Requester(models.Model):
    """Who in a System asked (their account lives in the System's schema, so it is kept here
    as id, name and address at the time)."""

    requested_by_id = models.BigIntegerField(null=True, blank=True)
    requested_by_label = models.CharField(max_length=200)
    requested_by_email = models.EmailField()

    class Meta:
        abstract = True


class Export(Requester):
    """One archive of everything a System holds, built by a worker, downloadable until it
    expires. The archive is offered only once complete (``ready``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=80, blank=True, help_text="What it is writing now.")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="Under EXPORT_ROOT.")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    counts = models.JSONField(default=dict, blank=True, help_text="Rows per file.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["system", "-created_at"], name="tenants_export_system_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="tenants_export_status_idx"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.system_id} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        if not self.progress_total:
            return 0
        return min(99, int(100 * self.progress_done / self.progress_total))


class SystemImport(models.Model):
    """A System made from an export archive (by the operator: command or admin)."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        REFUSED = "refused", "Refused"

    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    slug = models.CharField(max_length=63)
    archive_name = models.CharField(max_length=255)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    source_slug = models.CharField(max_length=63, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    reason = models.TextField(blank=True, help_text="Why it was refused.")
    counts = models.JSONField(default=dict, blank=True)
    by = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import of {self.archive_name} as {self.slug} ({self.status})"


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


class Backup(models.Model):
    """One copy of a System: its schema (pg_dump, custom format) and its files, with a
    manifest of row counts and checksums. Outlives its System until retention removes it."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        OK = "ok", "Complete"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Removed by retention"

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        MANUAL = "manual", "Manual"
        PRE_RESTORE = "pre_restore", "Before a restore"

    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, blank=True, related_name="backups"
    )
    system_slug = models.CharField(max_length=63)
    schema_name = models.CharField(max_length=63)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SCHEDULED)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True, help_text="In the backup storage.")
    size = models.PositiveBigIntegerField(default=0)
    manifest = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verify_ok = models.BooleanField(null=True, blank=True)
    verify_detail = models.TextField(blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["system", "status", "-started_at"], name="tenants_backup_sys_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="tenants_backup_status_idx"),
        ]

    def __str__(self) -> str:
        return f"backup of {self.system_slug} at {self.started_at:%Y-%m-%d %H:%M}"


class Holiday(models.Model):
    """A day the operator's team doesn't work: restore deadlines skip it, like weekends."""

    day = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.name}"


class RestoreRequest(Requester):
    """A customer admin asks for a restore; the operator owes an answer within one working
    day (``due_at``)."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the operator"
        IN_PROGRESS = "in_progress", "Being restored"
        DONE = "done", "Restored"
        REJECTED = "rejected", "Declined"

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="restore_requests")
    backup = models.ForeignKey(
        Backup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    point_in_time = models.DateTimeField(
        null=True, blank=True, help_text="Restore to the last backup before this moment."
    )
    reason = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    operator_note = models.TextField(blank=True, help_text="Shown to the customer.")
    handled_by = models.CharField(max_length=200, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="tenants_restorereq_due_idx")]

    def __str__(self) -> str:
        return f"restore request {self.pk} of {self.system_id} due {self.due_at:%Y-%m-%d %H:%M}"


class Restore(models.Model):
    """The operator brings a System back to a backup: restored into a new schema, then
    swapped in; the previous schema is kept until he confirms (or swaps back)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Restoring"
        SWAPPED = "swapped", "Live; previous data kept"
        CONFIRMED = "confirmed", "Confirmed; previous data removed"
        ROLLED_BACK = "rolled_back", "Swapped back"
        FAILED = "failed", "Failed"

    # Kept when the System is deleted, so the schemas a restore left are found and dropped.
    system = models.ForeignKey(
        System, on_delete=models.SET_NULL, null=True, blank=True, related_name="restores"
    )
    backup = models.ForeignKey(Backup, on_delete=models.PROTECT, related_name="restores")
    request = models.ForeignKey(
        RestoreRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="restores"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    previous_schema = models.CharField(max_length=63, blank=True)
    restored_schema = models.CharField(max_length=63, blank=True)
    operator = models.CharField(max_length=200)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    swapped_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"restore of {self.system_id} to backup {self.backup_id} ({self.status})"
