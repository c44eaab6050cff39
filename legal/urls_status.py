"""The status page of the service, on the public site only."""

from django.urls import path

from legal import notice_views

urlpatterns = [
    path("status/", notice_views.status_page, name="status"),
    path("status/feed/", notice_views.status_feed, name="status_feed"),
    path("status/<int:pk>/", notice_views.status_notice, name="status_notice"),
]
