from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    """Django's admin, with our site: allauth's sign-in and a second factor for operators."""

    default_site = "servicedesk.admin_site.OperatorAdminSite"
