"""URLs of the reports page, on each System's host (included by tickets.urls)."""

from django.urls import path

from tickets.reports import views

urlpatterns = [
    path("reports/", views.report, name="reports"),
    path("reports/<slug:key>.csv", views.report_csv, name="report_csv"),
]
