from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from tenants.selectors import public_url


def site(request: HttpRequest) -> dict[str, object]:
    system = getattr(request, "system", None)
    trial_days_left = None
    if system is not None and system.status == "trial" and system.trial_ends_at:
        trial_days_left = max(0, (system.trial_ends_at - timezone.now()).days)
    return {
        "current_system": system,
        "trial_days_left": trial_days_left,
        "public_site_url": public_url(),
        "base_domain": settings.BASE_DOMAIN,
        "support_email": settings.SUPPORT_EMAIL,
        "now": timezone.now(),
    }
