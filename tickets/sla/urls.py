"""URLs of the SLA settings page, on each System's host (included by tickets.urls)."""

from django.urls import path

from tickets.sla import views

urlpatterns = [
    path("settings/sla/", views.sla_settings, name="sla_settings"),
    path("settings/sla/hours/", views.sla_hours, name="sla_hours"),
    path("settings/sla/holidays/", views.sla_holiday_add, name="sla_holiday_add"),
    path(
        "settings/sla/holidays/<int:holiday_id>/remove/",
        views.sla_holiday_remove,
        name="sla_holiday_remove",
    ),
    path("settings/sla/policies/", views.sla_policies, name="sla_policies"),
    path(
        "settings/sla/policies/category/",
        views.sla_category_policy_add,
        name="sla_category_policy_add",
    ),
    path(
        "settings/sla/policies/<int:policy_id>/remove/",
        views.sla_category_policy_remove,
        name="sla_category_policy_remove",
    ),
]
