import logging

from django.db import connection

from servicedesk.context import request_id


class ContextFilter(logging.Filter):
    """Adds the current schema and request id to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.schema = getattr(connection, "schema_name", None) or "-"
        record.request_id = request_id.get()
        return True
