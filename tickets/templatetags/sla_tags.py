from datetime import timedelta

from django import template

from tickets.sla.display import duration_text

register = template.Library()


@register.filter
def sla_duration(amount: timedelta | None) -> str:
    return duration_text(amount)
