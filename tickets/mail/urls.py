"""URLs of the mail channel, on each System's host (included by tickets.urls)."""

from django.urls import path  # noqa: F401 - each page group adds its patterns below

urlpatterns: list = []
