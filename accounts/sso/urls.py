from django.urls import path

from accounts.sso import views

urlpatterns = [
    path("settings/sso/", views.sso_settings, name="sso_settings"),
    path("settings/sso/policy/", views.sso_policy, name="sso_policy"),
    path("settings/sso/disconnect/", views.sso_disconnect, name="sso_disconnect"),
    path("settings/sso/domains/", views.sso_domain_add, name="sso_domain_add"),
    path(
        "settings/sso/domains/<int:domain_id>/check/",
        views.sso_domain_check,
        name="sso_domain_check",
    ),
    path(
        "settings/sso/domains/<int:domain_id>/remove/",
        views.sso_domain_remove,
        name="sso_domain_remove",
    ),
]
