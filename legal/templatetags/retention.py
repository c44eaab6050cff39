"""How long copies live, from settings, so the privacy page and emails match the config."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def backup_retention() -> dict[str, int]:
    daily, weekly = settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY
    return {
        "daily": daily,
        "weekly": weekly,
        # The last daily copy, then the last weekly one, expire at the latest this long
        # after the last backup was taken.
        "window_days": daily + 7 * weekly,
        "grace_days": settings.SYSTEM_DELETION_GRACE_DAYS,
    }
