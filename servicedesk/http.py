"""Facts about the caller of a request that every app records the same way."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


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


def local_path(url: str | None) -> str | None:
    """``url`` when it is a path on the host that asked (``/tickets/?page=2``), else None.

    Every ``next=`` we follow goes through here: a login at one System must never land on
    another System's host (they all share BASE_DOMAIN), so absolute URLs are refused, as are
    ``//host`` and ``/\\host`` (browsers read a backslash as a slash) and anything carrying a
    control character (a CR/LF would otherwise end up in the Location header).
    """
    if not url or len(url) > 2048 or _CONTROL.search(url):
        return None
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=set()) else None


def is_our_origin(origin: str | None) -> bool:
    """Whether an ``Origin`` header names one of our own sites (public or a System)."""
    if not origin or origin == "null":
        return False
    parts = urlsplit(origin)
    host = (parts.hostname or "").lower()
    base = settings.BASE_DOMAIN
    return parts.scheme == settings.SITE_SCHEME and (host == base or host.endswith(f".{base}"))
