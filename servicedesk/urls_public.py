"""URLs of the public site at BASE_DOMAIN: landing, signup, terms, operator admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from servicedesk import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", include("accounts.urls_language")),
    path("", include("tenants.onboarding.urls_public")),
    path("", include("legal.urls")),
    path("", include("legal.urls_status")),
    path("admin/", admin.site.urls),
    # Operators sign in here (throttled, with a second factor), not on Django's admin login.
    # allauth's pages without single sign-on: Systems have it, the public schema has no
    # table for it (its providers live in each System's schema).
    path("accounts/", include("allauth.account.urls")),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("accounts/sessions/", include("allauth.usersessions.urls")),
    # Mail providers post inbound mail (and delivery events) here, behind basic auth.
    path("mail/anymail/", include("servicedesk.anymail_urls")),
]
if settings.DEBUG:
    # Development only: every mail sent, readable in the browser. Never routed in production.
    urlpatterns.append(path("dev/mail/", include("servicedesk.devmail.urls")))

handler400 = "servicedesk.views.bad_request"
handler403 = "servicedesk.views.permission_denied"
handler404 = "servicedesk.views.page_not_found"
handler500 = "servicedesk.views.server_error"
