"""URLs of a System at <slug>.BASE_DOMAIN. There is no admin here."""

from django.urls import include, path

from accounts.api.app import api_urls
from servicedesk import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", include("accounts.urls_language")),
    path("", include("legal.urls")),
    path("", include("legal.urls_system")),
    path("", include("tickets.urls")),
    path("", include("accounts.urls")),
    path("", include("accounts.apitokens.urls")),
    # The REST API (accounts.api; apps add their routers in their AppConfig.ready()).
    path("api/v1/", api_urls()),
    path("", include("tenants.billing.urls")),
    path("", include("tenants.portability.urls")),
    path("", include("tenants.backups.urls")),
    path("", include("tenants.lifecycle.urls")),
    path("", include("tenants.onboarding.urls")),
    path("accounts/", include("allauth.urls")),
]

handler400 = "servicedesk.views.bad_request"
handler403 = "servicedesk.views.permission_denied"
handler404 = "servicedesk.views.page_not_found"
handler500 = "servicedesk.views.server_error"
