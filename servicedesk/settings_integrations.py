"""Settings for integrations: the REST API and webhooks. Star-imported at the end of
``servicedesk.settings``; each integration keeps its settings in its own headed block."""

from servicedesk.env import env_bool, env_int  # noqa: F401 - the blocks below read the environment
