"""What every page of a System shows from legal: the banner of service notices."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from legal import notice_selectors
from legal.notice_selectors import Banner


def service_notices(request: HttpRequest) -> dict[str, Callable[[], list[Banner]]]:
    """``service_notices`` in templates: the notices this person sees on this page, read
    only when the page shows them (from the cache; the System's schema is in the key)."""
    system = getattr(request, "system", None)
    user = getattr(request, "user", None)
    if system is None or user is None:
        return {}

    @cache
    def shown() -> list[Banner]:
        if not user.is_authenticated:
            return []
        return notice_selectors.banners_shown(system_id=system.pk, user_id=user.pk)

    return {"service_notices": shown}
