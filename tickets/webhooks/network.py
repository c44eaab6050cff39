"""One POST to an endpoint, safe to aim at an address an admin typed.

The host is resolved once, every address it resolves to is checked (no private, loopback,
link-local, multicast, reserved or unspecified address, IPv4-mapped ones included), and the
connection goes to the checked address itself, with the original name in the Host header
and in TLS (SNI and the certificate's check). A DNS answer that changes between the check
and the connection (rebinding) changes nothing. Redirects are not followed; at most the
first kilobyte of the answer is read. WEBHOOKS_ALLOW_PRIVATE lifts the address check
(development, tests).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

RESPONSE_KEPT = 1024


class Refused(Exception):
    """The URL leads somewhere deliveries never go."""


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    latency_ms: int
    error: str
    response: str


def address_refused(address: str) -> bool:
    """True for an address that is not a public one on the internet."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (tests replace this: DNS is the outside world)."""
    try:
        return [str(ipaddress.ip_address(host))]  # a literal address: no lookup
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def destination(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, path with query, the address to connect to), or Refused."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise Refused(_("Only http(s) URLs with a host are delivered to."))
    if parts.scheme == "http" and not settings.WEBHOOKS_ALLOW_PRIVATE:
        raise Refused(_("Only https URLs are delivered to."))
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise Refused(
            _("%(host)s could not be resolved (%(error)s).") % {"host": host, "error": error}
        ) from None
    if not addresses:
        raise Refused(_("%(host)s has no address.") % {"host": host})
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            if address_refused(address):
                raise Refused(
                    _("%(host)s resolves to %(address)s, which is not a public address.")
                    % {"host": host, "address": address}
                )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme, host, port, path, addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        # The certificate is checked against the name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _cut(connection: http.client.HTTPConnection, fired: threading.Event) -> None:
    """Wake a read blocked on the socket (closing alone would not)."""
    fired.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def post(url: str, *, body: str, headers: dict[str, str]) -> Answer:
    """POST ``body``; never raises for what the network or the receiver does."""
    started = time.perf_counter()

    def elapsed() -> int:
        return int((time.perf_counter() - started) * 1000)

    try:
        scheme, host, port, path, address = destination(url)
    except Refused as refused:
        return Answer(None, 0, str(refused), "")
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    connection = kind(host, port, address=address, timeout=timeout)
    # The timeout bounds each read; a receiver that drips its answer a byte at a time is cut
    # off when the whole exchange has taken twice as long.
    fired = threading.Event()
    watchdog = threading.Timer(2 * timeout, _cut, args=(connection, fired))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request(
            "POST",
            path,
            body=body.encode(),
            headers={"User-Agent": "ServiceDesk-Webhooks/1", **headers},
        )
        response = connection.getresponse()
        kept = response.read(RESPONSE_KEPT).decode("utf-8", errors="replace")
        return Answer(response.status, elapsed(), "", kept)
    except (OSError, http.client.HTTPException) as error:
        if isinstance(error, TimeoutError) or fired.is_set():
            text = _("No answer within %(seconds)d s.") % {"seconds": timeout}
            if fired.is_set():
                text = _("No complete answer within %(seconds)d s.") % {"seconds": 2 * timeout}
        else:
            text = f"{type(error).__name__}: {error}"
        return Answer(None, elapsed(), text[:500], "")
    finally:
        watchdog.cancel()
        connection.close()
