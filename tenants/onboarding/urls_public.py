"""On the public site: the landing page and signing up."""

from django.urls import path

from tenants.onboarding import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("signup/", views.signup, name="signup"),
    path("signup/check/", views.subdomain_check, name="subdomain_check"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("signup/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
]
