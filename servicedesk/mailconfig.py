"""How outgoing mail leaves, read from the environment (settings.py installs the result).

- ``ESP`` names a mail provider (mailgun, sendgrid, postmark, amazon_ses, …): mail goes
  through django-anymail's backend for it, with ``ESP_API_KEY`` (and ``ESP_SENDER_DOMAIN``
  where the provider wants one). Its delivery webhooks and inbound mail arrive at
  ``/mail/anymail/…`` on the public host, checked with ``ANYMAIL_WEBHOOK_SECRET``.
- Otherwise ``EMAIL_BACKEND`` (SMTP by default; in development the dev outbox) with the
  ``EMAIL_HOST``/``EMAIL_PORT``/… variables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from servicedesk.env import env_bool, env_int, env_str

SMTP = "django.core.mail.backends.smtp.EmailBackend"
DEV_OUTBOX = "servicedesk.devmail.backend.EmailBackend"
ESPS = {
    "amazon_ses",
    "brevo",
    "mailersend",
    "mailgun",
    "mailjet",
    "mandrill",
    "postal",
    "postmark",
    "resend",
    "sendgrid",
    "sparkpost",
}


def esp() -> str:
    name = env_str("ESP", "").strip().lower()
    if name and name not in ESPS:
        from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415

        raise ImproperlyConfigured(f"ESP must be one of {', '.join(sorted(ESPS))}, not {name!r}.")
    return name


def outgoing_mail(*, debug: bool, base_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(MAILERS, ANYMAIL)."""
    provider = esp()
    # "user:password"; several, comma-separated, while the providers move to a new one.
    secrets = [s.strip() for s in env_str("ANYMAIL_WEBHOOK_SECRET", "").split(",") if s.strip()]
    anymail: dict[str, Any] = {"WEBHOOK_SECRET": secrets}
    if provider:
        key = env_str("ESP_API_KEY", "")
        anymail[f"{provider.upper()}_API_KEY"] = key
        if provider == "postmark":
            anymail["POSTMARK_SERVER_TOKEN"] = key
        if env_str("ESP_SENDER_DOMAIN", ""):
            anymail[f"{provider.upper()}_SENDER_DOMAIN"] = env_str("ESP_SENDER_DOMAIN", "")
        backend = f"anymail.backends.{provider}.EmailBackend"
        return {"default": {"BACKEND": backend, "OPTIONS": {}}}, anymail
    backend = env_str("EMAIL_BACKEND", DEV_OUTBOX if debug else SMTP)
    options: dict[str, object] = {}
    if backend == SMTP:
        options = {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": env_int("EMAIL_TIMEOUT", 20),
        }
    elif backend == "django.core.mail.backends.filebased.EmailBackend":
        options = {"file_path": env_str("EMAIL_FILE_PATH", str(base_dir / ".devdata" / "mail"))}
    return {"default": {"BACKEND": backend, "OPTIONS": options}}, anymail
