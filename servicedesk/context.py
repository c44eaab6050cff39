"""Per-request (or per-task) context that log lines and error pages carry."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")
