"""django-anymail's webhook URLs (inbound mail and delivery events of mail providers), as
the public host serves them at /mail/anymail/.

Each is behind HTTP basic auth with ANYMAIL_WEBHOOK_SECRET ("user:password", several
comma-separated while rotating). Without a secret nothing answers (404): anymail alone would
only warn and take posts from anyone, who could then drop mail into any System. A post
without the right credentials gets 401 with a challenge, which some providers (Amazon SNS)
wait for before they send them; anymail checks them again, and its providers' signatures.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps

from anymail.urls import urlpatterns as anymail_patterns
from anymail.utils import get_request_basic_auth
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare


def webhook_secrets() -> list[str]:
    configured = settings.ANYMAIL.get("WEBHOOK_SECRET") or []
    if isinstance(configured, str):
        configured = configured.split(",")
    return [secret.strip() for secret in configured if secret.strip()]


def _behind_basic_auth(view: Callable) -> Callable:
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        secrets = webhook_secrets()
        if not secrets:
            raise Http404("Provider webhooks are off: ANYMAIL_WEBHOOK_SECRET is not set.")
        if request.method == "POST":
            given = get_request_basic_auth(request) or ""
            if not any(constant_time_compare(given, secret) for secret in secrets):
                response = HttpResponse("Credentials needed.", status=401)
                response["WWW-Authenticate"] = 'Basic realm="Anymail WEBHOOK_SECRET"'
                return response
        return view(request, *args, **kwargs)

    return guarded


def _guarded(pattern):
    pattern = copy.copy(pattern)
    pattern.callback = _behind_basic_auth(pattern.callback)
    return pattern


urlpatterns = [_guarded(pattern) for pattern in anymail_patterns]
app_name = "anymail"
