"""URLs of the public site at BASE_DOMAIN: landing, signup, terms, operator admin."""

from django.contrib import admin
from django.urls import include, path

from servicedesk import views
from tenants import views as tenant_views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("signup/", tenant_views.signup, name="signup"),
    path("signup/check/", tenant_views.subdomain_check, name="subdomain_check"),
    path("signup/sent/", tenant_views.signup_sent, name="signup_sent"),
    path("signup/confirm/<str:token>/", tenant_views.signup_confirm, name="signup_confirm"),
    path("", include("legal.urls")),
    path("admin/", admin.site.urls),
    # Operators sign in here (throttled, with a second factor), not on Django's admin login.
    path("accounts/", include("allauth.urls")),
]

handler400 = "servicedesk.views.bad_request"
handler403 = "servicedesk.views.permission_denied"
handler404 = "servicedesk.views.page_not_found"
handler500 = "servicedesk.views.server_error"
