"""Checking a Service Desk webhook on the receiving side: copy this function (Python's
standard library only). It follows the Standard Webhooks specification, so its libraries
(``pip install standardwebhooks``, and others for most languages) verify our deliveries too.

    ok = verify(secret, request.headers, request.body)  # the raw body, before any JSON parsing

``headers`` is any mapping of the request's headers (names in any case); ``body`` the bytes
or text exactly as received. Drop the request unless it is True, then de-duplicate on the
``webhook-id`` header: a retry or a resend carries the same one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping


def verify(
    secret: str, headers: Mapping[str, str], body: bytes | str, tolerance: int = 300
) -> bool:
    """True when ``body`` was signed with ``secret`` less than ``tolerance`` seconds ago."""
    lower = {name.lower(): value for name, value in headers.items()}
    event_id = lower.get("webhook-id", "")
    timestamp = lower.get("webhook-timestamp", "")
    signatures = lower.get("webhook-signature", "")
    if not (event_id and timestamp.isdigit() and signatures):
        return False
    if abs(time.time() - int(timestamp)) > tolerance:  # an old message replayed
        return False
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            return False
    try:
        key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except ValueError:
        return False
    signed = f"{event_id}.{timestamp}.{body}".encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False
