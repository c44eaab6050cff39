"""The addresses of a System's mail channel.

Every System receives at ``support@<slug>.<INBOUND_MAIL_DOMAIN>``. Mail we send about a
ticket carries a reply address with a signed ticket token,
``support+t<number>-<signature>@<slug>.…``: the signature binds the number to this System,
so a token can't be moved to another System or another ticket.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid

from django.conf import settings

LOCAL_PART = "support"
_TOKEN = re.compile(r"^support\+t(?P<number>\d{1,10})-(?P<signature>[0-9a-f]{12})$")


def mail_domain(*, slug: str) -> str:
    return f"{slug}.{settings.INBOUND_MAIL_DOMAIN}"


def support_address(*, slug: str) -> str:
    return f"{LOCAL_PART}@{mail_domain(slug=slug)}"


def _signature(*, slug: str, number: int) -> str:
    key = hashlib.sha256(f"ticket-mail-token:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{slug}:{number}".encode(), hashlib.sha256).hexdigest()[:12]


def ticket_reply_address(*, slug: str, number: int) -> str:
    token = f"t{number}-{_signature(slug=slug, number=number)}"
    return f"{LOCAL_PART}+{token}@{mail_domain(slug=slug)}"


def split(address: str) -> tuple[str, str]:
    local, _, domain = address.strip().lower().rpartition("@")
    return local, domain


def slug_of(address: str) -> str | None:
    """The slug of the System ``address`` belongs to (its local part is ours), or None."""
    local, domain = split(address)
    suffix = f".{settings.INBOUND_MAIL_DOMAIN}"
    if not domain.endswith(suffix) or not (local == LOCAL_PART or local.startswith("support+")):
        return None
    slug = domain.removesuffix(suffix)
    return slug if slug and "." not in slug else None


def ticket_number_in(address: str, *, slug: str) -> int | None:
    """The ticket number of a reply address of System ``slug``, when its signature holds."""
    local, _ = split(address)
    found = _TOKEN.match(local)
    if found is None:
        return None
    number = int(found["number"])
    if not hmac.compare_digest(found["signature"], _signature(slug=slug, number=number)):
        return None
    return number


def new_message_id(*, slug: str) -> str:
    """A Message-ID of ours (without <>): its domain tells our own mail when it comes back."""
    return f"{uuid.uuid4().hex}@{mail_domain(slug=slug)}"


def is_our_message_id(message_id: str) -> bool:
    _, domain = split(message_id)
    return domain == settings.INBOUND_MAIL_DOMAIN or domain.endswith(
        f".{settings.INBOUND_MAIL_DOMAIN}"
    )
