"""URLs of a System at <slug>.BASE_DOMAIN. There is no admin here."""

from django.urls import include, path

from legal import views as legal_views
from servicedesk import views
from tenants import views_billing as billing_views
from tenants import views_deletion as deletion_views
from tenants import views_export as export_views
from tenants import views_restore as restore_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("billing/", billing_views.billing_page, name="billing"),
    path("billing/invoices/<str:invoice_number>/", billing_views.invoice_page, name="invoice"),
    path("settings/export/", export_views.export_page, name="export"),
    path(
        "settings/export/<int:export_id>/progress/",
        export_views.export_progress,
        name="export_progress",
    ),
    path(
        "settings/export/<int:export_id>/download/",
        export_views.export_download,
        name="export_download",
    ),
    path("settings/restore/", restore_views.restore_page, name="restore_request"),
    path("terms/accept/", legal_views.terms_accept_page, name="terms_accept"),
    path("settings/terms/", legal_views.terms_status, name="terms_status"),
    path("settings/operator-access/", legal_views.operator_access, name="operator_access"),
    path("settings/takedowns/", legal_views.takedown_list, name="takedown_list"),
    path("tickets/<int:number>/report/", legal_views.content_report, name="content_report"),
    path(
        "announcements/unsubscribe/<str:token>/",
        legal_views.unsubscribe,
        name="announcements_unsubscribe",
    ),
    path("", include("legal.urls")),
    path("", include("tickets.urls")),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
]

# Deleting the whole System (deletes).
urlpatterns += [
    path("settings/delete/", deletion_views.system_delete, name="system_delete"),
    path("settings/delete/undo/", deletion_views.system_delete_undo, name="system_delete_undo"),
    path(
        "settings/delete/undo/<str:undo_token>/",
        deletion_views.system_delete_undo_link,
        name="system_delete_undo_link",
    ),
]

handler400 = "servicedesk.views.bad_request"
handler403 = "servicedesk.views.permission_denied"
handler404 = "servicedesk.views.page_not_found"
handler500 = "servicedesk.views.server_error"
