"""Base classes for operator admin pages over records nobody edits by hand."""

from django.contrib import admin


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
