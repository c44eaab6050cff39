"""Fixed-window rate limits in the cache (Redis; keys carry the schema)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the count in this window is within ``limit``."""
    cache_key = f"rl:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        return True
    return count <= limit


@dataclass(frozen=True)
class Window:
    """One fixed window's count, as the RateLimit-* headers tell it."""

    limit: int
    remaining: int
    reset: int  # seconds until the window ends

    @property
    def allowed(self) -> bool:
        return self.remaining >= 0


def window_hit(scope: str, key: str, *, limit: int, window: int) -> Window:
    """Count one request in the current clock-aligned window of ``window`` seconds (the
    window's start is in the key, so no TTL has to be read back)."""
    now = time.time()
    start = int(now // window) * window
    cache_key = f"rl:{scope}:{key}:{start}"
    try:
        count = cache.incr(cache_key)  # one round trip for every call but a window's first
    except ValueError:  # the window's first call
        count = 1 if cache.add(cache_key, 1, timeout=window + 1) else cache.incr(cache_key)
    reset = max(1, math.ceil(start + window - now))
    return Window(limit=limit, remaining=limit - count, reset=reset)
