"""Operator views of deletions: those scheduled by owners (pending, undone) and the
records of deleted Systems. Read-only: the owner decides, the beat job carries it out."""

from __future__ import annotations

from django.contrib import admin

from servicedesk.admin_base import ReadOnlyAdmin
from tenants.models import ScheduledDeletion, SystemDeletion


@admin.register(ScheduledDeletion)
class ScheduledDeletionAdmin(ReadOnlyAdmin):
    list_display = ("system", "requested_by_email", "requested_at", "due_at", "cancelled_at")
    list_filter = (("cancelled_at", admin.EmptyFieldListFilter),)
    list_select_related = ("system",)
    search_fields = ("system__slug", "requested_by_email")
    exclude = ("undo_token_hash",)


@admin.register(SystemDeletion)
class SystemDeletionAdmin(ReadOnlyAdmin):
    list_display = ("slug", "name", "customer", "requested_by", "deleted_at")
    list_select_related = ("customer",)
    search_fields = ("slug", "name", "customer__name")
