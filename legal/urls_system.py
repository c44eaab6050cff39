"""Legal pages that exist only inside a System."""

from django.urls import path

from legal import notice_views, views

urlpatterns = [
    path("terms/accept/", views.terms_accept_page, name="terms_accept"),
    path("settings/terms/", views.terms_status, name="terms_status"),
    path("settings/consents/", views.consents, name="consents"),
    path("settings/operator-access/", views.operator_access, name="operator_access"),
    path("settings/takedowns/", views.takedown_list, name="takedown_list"),
    path("tickets/<int:number>/report/", views.content_report, name="content_report"),
    path("notices/<int:notice_id>/dismiss/", notice_views.notice_dismiss, name="notice_dismiss"),
    path(
        "announcements/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="announcements_unsubscribe",
    ),
]
