"""Test profile: the real PostgreSQL and Redis, fast hashing, mail kept in memory."""

import hashlib
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SITE_SCHEME", "http")

from servicedesk.settings import *  # noqa: F403
from servicedesk.settings import BASE_DIR, CACHES, REDIS_URL

# Mail stays in memory (mail.outbox); a worker process writes it to TEST_MAIL_DIR instead.
if os.environ.get("TEST_MAIL_DIR"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["TEST_MAIL_DIR"]},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# As in development: no proxy in front, X-Forwarded-For means nothing (tests that play a
# proxy override it).
TRUSTED_PROXY_COUNT = ALLAUTH_TRUSTED_PROXY_COUNT = 0
SECURE_PROXY_SSL_HEADER = None
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Each xdist worker gets its own cache namespace and queue so parallel runs never meet;
# TEST_RUN (0-3) separates whole test runs sharing one machine's Redis (give each its own
# DATABASE_URL too).
_run = int(os.environ.get("TEST_RUN", "0"))
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_tag = f"{_run}-{_worker}" if _run else _worker
CACHES["default"]["KEY_PREFIX"] = f"test-{_tag}"
# ...and its own Redis database for the cache, so a test may clear it without touching
# another worker's (the broker stays on REDIS_URL, separated by queue name).
_slot = int(_worker[2:]) % 3 if _worker.startswith("gw") else 2
CACHES["default"]["LOCATION"] = (
    urlsplit(REDIS_URL)._replace(path=f"/{1 + (_run % 5) * 3 + _slot}").geturl()
)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", f"test-{_tag}")
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL
SYSTEM_POOL_SIZE = 1
# Files: per clone too (two checkouts testing at once each clear their own folders).
_clone = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
MEDIA_ROOT = Path(
    os.environ.get(
        "MEDIA_ROOT", Path(tempfile.gettempdir()) / f"servicedesk-test-media-{_clone}-{_tag}"
    )
)
EXPORT_ROOT = MEDIA_ROOT.parent / f"{MEDIA_ROOT.name}-exports"
BACKUP_ROOT = MEDIA_ROOT.parent / f"{MEDIA_ROOT.name}-backups"
LEGAL_DOCUMENT_ROOT = MEDIA_ROOT.parent / f"{MEDIA_ROOT.name}-legal"
STORAGES["backups"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(BACKUP_ROOT)},
}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The live server used by browser tests serves static files straight from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Webhooks: the tests' receivers listen on 127.0.0.1 over plain http.
WEBHOOKS_ALLOW_PRIVATE = True
