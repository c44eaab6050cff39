"""Settings for integrations: the REST API and webhooks. Star-imported at the end of
``servicedesk.settings``; each integration keeps its settings in its own headed block."""

from servicedesk.env import env_bool, env_int

# --- REST API (accounts.api, README "REST API") ------------------------------------------
# Calls per token (or, without a valid token, per client address) in each window.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)
API_ANONYMOUS_RATE_LIMIT = env_int("API_ANONYMOUS_RATE_LIMIT", 60)
API_RATE_WINDOW_SECONDS = env_int("API_RATE_WINDOW_SECONDS", 60)
# How long a create's answer is replayed for a repeated Idempotency-Key.
API_IDEMPOTENCY_HOURS = env_int("API_IDEMPOTENCY_HOURS", 24)
# Items per page of a list: the default, and the most a client may ask for (?limit=).
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_PAGE_SIZE_MAX = env_int("API_PAGE_SIZE_MAX", 100)

# --- Webhooks (tickets/webhooks) ----------------------------------------------------------
# Deliveries go only to public addresses: the host is resolved, every address checked, and the
# connection made to the checked one. Development and tests (a receiver on 127.0.0.1) allow
# private and loopback addresses, and plain http URLs.
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", env_bool("DEBUG", False))
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10)
# A delivery is retried with growing pauses this long after its first try, then given up.
WEBHOOKS_RETRY_HOURS = env_int("WEBHOOKS_RETRY_HOURS", 24)
# The delivery log keeps this many days.
WEBHOOKS_LOG_DAYS = env_int("WEBHOOKS_LOG_DAYS", 30)
