"""Admin of the tenancy core (customers, domains), and the sub-domains' admin pages,
which register themselves when imported here (Django looks only for tenants.admin)."""

from django.contrib import admin

from servicedesk.admin_base import ReadOnlyAdmin
from tenants.backups import admin as backups_admin
from tenants.billing import admin as billing_admin
from tenants.lifecycle import admin as lifecycle_admin
from tenants.models import Customer, Domain, System
from tenants.onboarding import admin as onboarding_admin
from tenants.operations import admin as operations_admin
from tenants.portability import admin as portability_admin

REGISTERED_ELSEWHERE = (
    backups_admin,
    billing_admin,
    lifecycle_admin,
    onboarding_admin,
    operations_admin,
    portability_admin,
)


class SystemInline(admin.TabularInline):
    model = System
    fields = ("slug", "name", "status", "seats_used", "seat_cap", "owner_email", "claimed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "created_at")
    search_fields = ("name", "email", "systems__slug")
    inlines = [SystemInline]


@admin.register(Domain)
class DomainAdmin(ReadOnlyAdmin):
    list_display = ("domain", "tenant", "is_primary")
    search_fields = ("domain", "tenant__slug")
    list_select_related = ("tenant",)
