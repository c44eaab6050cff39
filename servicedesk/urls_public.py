"""URLs of the public site at BASE_DOMAIN: landing, signup, terms, operator admin."""

from django.contrib import admin
from django.urls import path
from django.views.generic import TemplateView

from servicedesk import views

urlpatterns = [
    path("", TemplateView.as_view(template_name="public/landing.html"), name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "servicedesk.views.bad_request"
handler403 = "servicedesk.views.permission_denied"
handler404 = "servicedesk.views.page_not_found"
handler500 = "servicedesk.views.server_error"
