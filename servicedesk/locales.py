"""Languages and time zones a person or a System may choose, and switching to them.

A System has a default language and time zone for its people; a person may choose their
own (blank means "the System's"). Times are stored in UTC and shown in the reader's zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

DEFAULT_TIME_ZONE = "UTC"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported_language(code: str | None) -> str | None:
    """The supported language for ``code`` ("vi-VN" gives "vi"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_time_zone(name: str | None) -> bool:
    return bool(name) and name in _zones()


def time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(_zones())]


def validate_language(value: str) -> None:
    if value and value not in language_codes():
        raise ValidationError(_("Choose one of the offered languages."), code="language")


def validate_time_zone(value: str) -> None:
    if value and not is_time_zone(value):
        raise ValidationError(
            _("“%(zone)s” is not a time zone we know (try “Asia/Ho_Chi_Minh”)."),
            code="time_zone",
            params={"zone": value},
        )


@contextmanager
def activated(*, language: str | None, time_zone: str | None) -> Iterator[None]:
    """Render in ``language`` and show times in ``time_zone`` for the block (mail, tasks)."""
    language = supported_language(language) or settings.LANGUAGE_CODE
    zone = time_zone if is_time_zone(time_zone) else DEFAULT_TIME_ZONE
    with translation.override(language), timezone.override(zone):
        yield
