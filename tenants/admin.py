from django.contrib import admin

from tenants.models import Customer, Domain, System


class SystemInline(admin.TabularInline):
    model = System
    fields = ("slug", "name", "status", "schema_name", "claimed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "system_count", "created_at")
    search_fields = ("name", "email", "systems__slug")
    inlines = [SystemInline]

    @admin.display(description="Systems")
    def system_count(self, obj: Customer) -> int:
        return obj.systems.count()


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ("domain", "is_primary")
    readonly_fields = fields
    can_delete = False


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ("__str__", "name", "customer", "status", "schema_name", "claimed_at")
    list_filter = ("status",)
    search_fields = ("slug", "name", "customer__name", "schema_name", "domains__domain")
    list_select_related = ("customer",)
    readonly_fields = ("schema_name", "created_at", "claimed_at")
    inlines = [DomainInline]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=System.Status.POOLED)

    def has_add_permission(self, request) -> bool:
        # Systems are made by signups (tenants.services.system_create), never by hand.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "tenant", "is_primary")
    search_fields = ("domain", "tenant__slug")
    list_select_related = ("tenant",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
