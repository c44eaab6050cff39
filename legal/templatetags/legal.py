from django import template

from legal import selectors

register = template.Library()


@register.simple_tag
def terms_in_effect():
    """The terms version in effect (None before the operator published any)."""
    return selectors.terms_current()
