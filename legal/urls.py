"""Terms and privacy pages: on the public site and in every System."""

from django.urls import path

from legal import views

urlpatterns = [
    path("terms/", views.terms, name="terms"),
    path("terms/diff/", views.terms_diff, name="terms_diff"),
    path("terms/v/<str:version>/", views.terms, name="terms_version"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/diff/", views.privacy_diff, name="privacy_diff"),
    path("privacy/v/<str:version>/", views.privacy, name="privacy_version"),
]
