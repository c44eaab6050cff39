"""Facts about the caller of a request that every app records the same way."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str | None) -> str | None:
    """``value`` as a canonical IP address, or None when it is not one."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address: the one used by throttles, rate limits and the audit log.

    Each of our ``TRUSTED_PROXY_COUNT`` proxies appends the address it received the request
    from to ``X-Forwarded-For``, so the client is the hop that many places from the end;
    whatever stands further left was written by the client and is ignored. With no trusted
    proxy (development, or gunicorn reachable directly) the header is ignored altogether.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted > 0:
        header = request.headers.get("X-Forwarded-For", "")
        hops = [hop.strip() for hop in header.split(",") if hop.strip()]
        if hops:
            # Fewer hops than proxies: every one of them was added by our own proxies.
            found = _address(hops[-trusted] if len(hops) >= trusted else hops[0])
            if found:
                return found
    return _address(request.META.get("REMOTE_ADDR"))


def user_agent(request: HttpRequest) -> str:
    return request.headers.get("User-Agent", "")[:300]
