"""The outside world of single sign-on: an issuer's discovery document, and DNS TXT records
of the domains to verify. Both are read before any transaction opens."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import dns.exception
import dns.resolver
import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WELL_KNOWN = "/.well-known/openid-configuration"
# What a sign-in needs from the document (OpenID Connect Discovery 1.0, section 3).
REQUIRED_FIELDS = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
TIMEOUT = 5


def issuer_normalise(raw: str) -> str:
    """The issuer as typed, without the well-known suffix or a trailing slash."""
    issuer = raw.strip()
    if issuer.endswith(WELL_KNOWN):
        issuer = issuer[: -len(WELL_KNOWN)]
    return issuer.rstrip("/")


def _refuse_local(host: str) -> None:
    """An issuer on one of our own or a private address would let an admin make our server
    fetch from inside our network."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        raise ValidationError({"issuer": _("The issuer's host name does not resolve.")}) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise ValidationError(
                {"issuer": _("The issuer must be on a public address, not a private one.")}
            )


def issuer_discover(issuer: str) -> dict:
    """The issuer's discovery document, checked: it answers, is JSON, names this very issuer
    and the endpoints a sign-in needs. Raises ValidationError (on ``issuer``) with what went
    wrong, in words an admin can act on."""
    parts = urlsplit(issuer)
    local_ok = settings.SSO_ALLOW_LOCAL_ISSUERS
    if parts.scheme not in ({"https", "http"} if local_ok else {"https"}) or not parts.hostname:
        raise ValidationError({"issuer": _("Enter the issuer's https:// address.")})
    if not local_ok:
        _refuse_local(parts.hostname)
    url = issuer + WELL_KNOWN
    try:
        response = requests.get(url, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException:
        raise ValidationError(
            {"issuer": _("The issuer did not answer at %(url)s.") % {"url": url}}
        ) from None
    if response.status_code != 200:
        raise ValidationError(
            {
                "issuer": _("The issuer answered %(status)s at %(url)s, not its OpenID settings.")
                % {"status": response.status_code, "url": url}
            }
        )
    try:
        document = response.json()
    except ValueError:
        document = None
    missing = (
        [field for field in REQUIRED_FIELDS if not document.get(field)]
        if isinstance(document, dict)
        else list(REQUIRED_FIELDS)
    )
    if missing:
        raise ValidationError(
            {
                "issuer": _(
                    "That is not an OpenID Connect issuer: its settings at %(url)s lack %(fields)s."
                )
                % {"url": url, "fields": ", ".join(missing)}
            }
        )
    assert isinstance(document, dict)
    if str(document["issuer"]).rstrip("/") != issuer:
        raise ValidationError(
            {
                "issuer": _("The issuer calls itself %(named)s: enter that address.")
                % {"named": document["issuer"]}
            }
        )
    return document


def txt_records(name: str) -> list[str]:
    """The TXT strings published at ``name`` ([] when there are none). Raises
    ValidationError when DNS could not answer."""
    try:
        answer = dns.resolver.resolve(name, "TXT", lifetime=TIMEOUT)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except dns.exception.DNSException:
        message = _("DNS did not answer for %(name)s; try again later.") % {"name": name}
        raise ValidationError(message) from None
    return [b"".join(record.strings).decode(errors="replace") for record in answer]
