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
