from django.urls import path

from tenants.billing import views

urlpatterns = [
    path("billing/", views.billing_page, name="billing"),
    path("billing/invoices/<str:invoice_number>/", views.invoice_page, name="invoice"),
]
