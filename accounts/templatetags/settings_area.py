from django import template

from accounts.navigation import SettingsMenu, settings_menu_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def settings_menu(context: template.Context) -> SettingsMenu | None:
    """``{% settings_menu as menu %}``: the settings area as this person sees it on this page
    (None outside a System)."""
    request = context.get("request")
    if request is None or getattr(request, "system", None) is None:
        return None
    user = getattr(request, "user", None)
    if user is None:
        return None
    match = request.resolver_match
    return settings_menu_for_user(user=user, url_name=match.url_name if match else None)
