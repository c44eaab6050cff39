from django.db import models
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

    # Schemas are made by tenants.services, inside the transaction that records them.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["slug"]

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
