from django.contrib import admin

from tenants.onboarding.models import Signup


@admin.register(Signup)
class SignupAdmin(admin.ModelAdmin):
    list_display = ("slug", "company_name", "email", "created_at", "expires_at", "confirmed_at")
    search_fields = ("slug", "company_name", "email")
    list_filter = ("confirmed_at",)
    exclude = ("password_hash", "token_hash")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
