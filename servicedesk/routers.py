"""Decide which tables a schema gets.

django-tenants routes by app: shared apps migrate into `public`, tenant apps into every
System. `accounts` and `legal` are in both lists because a few of their models are
operator records (security reports, terms versions) while the rest belong to a System.
SCHEMA_ONLY_MODELS in settings names those exceptions, so no table lands in a schema
where it would sit empty or, worse, shadow the other one through the search path.
"""

from django.conf import settings
from django.db import connections
from django_tenants.routers import TenantSyncRouter
from django_tenants.utils import get_public_schema_name

# Apps in both lists whose unlisted models live only in Systems.
MIXED_APPS = {"accounts", "legal"}
# Models of mixed apps that every schema gets.
BOTH_SCHEMAS = {"accounts.user"}


class SchemaRouter(TenantSyncRouter):
    def allow_migrate(self, db, app_label, model_name=None, **hints):
        allowed = super().allow_migrate(db, app_label, model_name=model_name, **hints)
        if allowed is False or model_name is None or app_label not in MIXED_APPS:
            return allowed
        label = f"{app_label}.{model_name.lower()}"
        if label in BOTH_SCHEMAS:
            return allowed
        in_public = connections[db].schema_name == get_public_schema_name()
        is_public_model = label in settings.PUBLIC_ONLY_MODELS
        return allowed if in_public == is_public_model else False
