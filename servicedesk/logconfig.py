"""The logging configuration settings.py installs: every line carries the System's schema
and the request id (servicedesk.logging.ContextFilter adds them)."""

from __future__ import annotations

from typing import Any


def logging_config(*, level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "servicedesk.logging.ContextFilter"}},
        "formatters": {
            "plain": {
                "format": "%(asctime)s %(levelname)s [%(schema)s %(request_id)s] "
                "%(name)s: %(message)s"
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "plain",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # aiosmtpd logs every command at INFO, senders and recipients of several Systems
            # in one session among them; the receiver logs its own lines per System.
            "mail.log": {"level": "WARNING"},
            "celery": {"level": level},
        },
    }
