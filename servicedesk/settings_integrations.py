"""Settings for integrations: the REST API and webhooks. Star-imported at the end of
``servicedesk.settings``; each integration keeps its settings in its own headed block."""

from servicedesk.env import env_bool, env_int

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
