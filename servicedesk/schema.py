from django.db import connection
from django_tenants.utils import get_public_schema_name


def current_schema() -> str:
    """The schema the connection is in now (a System's, or ``public``)."""
    return str(getattr(connection, "schema_name", get_public_schema_name()))


def in_public_schema() -> bool:
    return current_schema() == get_public_schema_name()
