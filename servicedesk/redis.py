from functools import cache

import redis
from django.conf import settings


@cache
def client() -> redis.Redis:
    """A client for the few things that are not cache entries (heartbeats, locks)."""
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def key(name: str) -> str:
    """A key namespaced like the cache, but not per System (these are operator facts)."""
    return f"{settings.CACHES['default']['KEY_PREFIX']}:ops:{name}"
