from django import template

from accounts.phones import phone_display

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """+84912345678 as people read it: +84 912 345 678."""
    return phone_display(e164)
