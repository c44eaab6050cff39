"""Every model of the `tenants` app, for Django (one app label, so no table moved).

The tenancy core lives in ``tenancy``; each sub-domain keeps its models in its own package
(``tenants/billing/models.py``...). They are imported here because Django loads an app's
models from ``<app>.models``; code imports them from where they live.
"""

# Django loads an app's models from <app>.models: the sub-domains' modules are imported for
# that alone. Their names are not re-exported, so code imports each model from its home
# (import-linter ignores these lines).
import tenants.backups.models
import tenants.billing.models
import tenants.lifecycle.models
import tenants.onboarding.models
import tenants.portability.models  # noqa: F401
from tenants.models.tenancy import Customer, Domain, Requester, ScheduledDeletion, System

__all__ = ["Customer", "Domain", "Requester", "ScheduledDeletion", "System"]
