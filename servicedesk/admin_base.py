"""What every operator admin page shares: base classes and the one permission check."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require_perm(request: HttpRequest, perm: str) -> None:
    """Each custom admin page and action checks its own permission ("app.codename"): being
    staff opens admin, not every door in it. The groups that hold them are made by
    tenants/migrations/0010_operator_groups.py."""
    if not request.user.has_perm(perm):
        raise PermissionDenied(f"This needs the “{perm}” permission.")


class RecordAdmin(admin.ModelAdmin):
    """Rows the application writes (through its services): the operator reads them and acts
    through the page's own actions, but never adds or deletes one in admin."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(RecordAdmin):
    """Rows the operator only reads."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False
