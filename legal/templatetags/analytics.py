from django import template
from django.utils.safestring import SafeString, mark_safe

from legal import analytics, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def analytics_head(context) -> SafeString:
    """The operator's analytics for this page, if any; remembers them for the CSP."""
    request = context.get("request")
    if request is None:
        return mark_safe("")
    providers = [
        provider
        for provider in selectors.analytics_for_page(
            in_system=getattr(request, "system", None) is not None
        )
        if analytics.loads_here(provider, request)
    ]
    if not providers:
        return mark_safe("")
    request.analytics_providers = providers
    nonce = str(context.get("csp_nonce", ""))
    return mark_safe("".join(analytics.render(p, nonce) for p in providers))  # noqa: S308
