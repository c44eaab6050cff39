from django import template

from accounts.sso.selectors import LoginOffer, login_offer

register = template.Library()


@register.simple_tag(takes_context=True)
def sso_login_offer(context: template.Context) -> LoginOffer | None:
    """``{% sso_login_offer as sso %}``: the System's provider for the sign-in page (None on
    the public site, or when none is connected)."""
    request = context.get("request")
    if request is None or getattr(request, "system", None) is None:
        return None
    return login_offer()
