from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from accounts.views.language import language_switch

# The scripts' strings (static/js, domain "djangojs") in the reader's language, for anyone
# (it holds no data). Kept a day by the browser only: base.html asks for it with
# ?v=<language>, so choosing another language fetches another address, never a stale one.
javascript_catalog = cache_control(private=True, max_age=24 * 3600)(
    JavaScriptCatalog.as_view(domain="djangojs")
)

urlpatterns = [
    path("language/", language_switch, name="language_switch"),
    path("jsi18n/", javascript_catalog, name="javascript_catalog"),
]
