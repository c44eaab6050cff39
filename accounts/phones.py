"""Phone numbers: checked with Google's libphonenumber data (the `phonenumbers` package),
stored in E.164, shown in the international format."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def phone_normalise(raw: str) -> str:
    """E.164 for what a person typed (spaces, dots, dashes and brackets are fine), or ""."""
    raw = raw.strip()
    if not raw:
        return ""
    if not raw.startswith(("+", "00")):
        raise ValidationError(
            _("Start with + and the country code, for example +84 912 345 678."), code="region"
        )
    try:
        number = phonenumbers.parse("+" + raw[2:] if raw.startswith("00") else raw, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This is not a valid phone number. Check the country code and the digits."),
            code="invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
