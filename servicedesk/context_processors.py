from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from tenants.selectors import public_url


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "current_system": getattr(request, "system", None),
        "public_site_url": public_url(),
        "base_domain": settings.BASE_DOMAIN,
        "now": timezone.now(),
    }
