"""Included by the public URLconf only when DEBUG is on."""

from django.urls import path

from servicedesk.devmail import views

urlpatterns = [
    path("", views.mail_list, name="dev_mail_list"),
    path("<str:name>/", views.mail_detail, name="dev_mail_detail"),
]
