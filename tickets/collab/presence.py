"""Who is on a ticket's page right now, kept in Redis only.

One hash per ticket (the schema in its key): a field per person holding his name, whether
he is typing a reply, and when he last said so. A page reports every ~10 s; an entry older
than ``TTL`` is nobody's any more and is dropped when read, and the whole hash expires by
itself once nobody reports. The name travels with the entry, so reading the others costs
no query.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from accounts.models import User
from servicedesk import redis
from servicedesk.schema import current_schema
from tickets.models import Ticket

log = logging.getLogger(__name__)
# A log line for the operator, in English whatever the reader's language.
REDIS_SILENT = "presence: Redis did not answer"

TTL = 30  # seconds without a report before someone is gone
POLL = 10  # seconds between a page's reports (static/js/presence.js reads it from the page)


@dataclass(frozen=True)
class Present:
    user_id: int
    name: str
    typing: bool

    @property
    def text(self) -> str:
        if self.typing:
            return _("%(name)s is typing a reply…") % {"name": self.name}
        return _("%(name)s is viewing") % {"name": self.name}


def presence_key(ticket: Ticket) -> str:
    """The hash of one ticket: the cache's prefix, then the schema, so two Systems (whose
    ticket ids overlap) never share one."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:{current_schema()}:collab:presence:{ticket.pk}"


def _read(key: str, raw: dict[bytes, bytes], now: float) -> list[Present]:
    present, stale = [], []
    for field, value in raw.items():
        try:
            entry = json.loads(value)
            fresh = now - float(entry["at"]) <= TTL
        except (ValueError, KeyError, TypeError):
            fresh = False
        if not fresh:
            stale.append(field)
            continue
        present.append(Present(int(field), str(entry["n"]), bool(entry["t"])))
    if stale:
        redis.client().hdel(key, *stale)
    return present


def presence_touch(*, user: User, ticket: Ticket, typing: bool = False) -> list[Present]:
    """Say ``user`` is on ``ticket`` (typing a reply or not); return the others there, by
    name. One round trip to Redis."""
    key = presence_key(ticket)
    now = time.time()
    entry = json.dumps({"n": user.get_full_name(), "t": typing, "at": now})
    try:
        pipe = redis.client().pipeline()
        pipe.hset(key, str(user.pk), entry)
        pipe.expire(key, TTL)
        pipe.hgetall(key)
        _, _, raw = pipe.execute()
        others = [p for p in _read(key, raw, now) if p.user_id != user.pk]
    except RedisError:
        # Presence is a courtesy: the ticket page must open without it.
        log.warning(REDIS_SILENT, exc_info=True)
        return []
    return sorted(others, key=lambda p: (not p.typing, p.name.lower()))


def presence_leave(*, user: User, ticket: Ticket) -> None:
    """``user`` closed the page: he is gone before his entry would expire."""
    try:
        redis.client().hdel(presence_key(ticket), str(user.pk))
    except RedisError:
        log.warning(REDIS_SILENT, exc_info=True)


def presence_text(others: list[Present]) -> str:
    """One sentence for the page's live region ("" when nobody else is there)."""
    return "; ".join(p.text for p in others)
