"""A lease: a Redis lock that says "a live worker is on this job right now".

A thread renews it while the process lives (even while the job waits on a database lock),
so it lapses only when the worker dies; a reaper then queues the job again. Renewing and
releasing check the token first (atomically, in Redis), so a worker never extends or drops
a lease another one took after it lapsed.
"""

from __future__ import annotations

import os
import threading

from servicedesk import redis

_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end"  # noqa: E501
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"  # noqa: E501


class Lease:
    def __init__(self, name: str, ttl: int) -> None:
        self.key = redis.key(name)
        self.token = os.urandom(8).hex()
        self.ttl = ttl
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def take(self) -> bool:
        if not redis.client().set(self.key, self.token, nx=True, ex=self.ttl):
            return False
        self._thread = threading.Thread(target=self._keep, daemon=True, name=self.key)
        self._thread.start()
        return True

    def _keep(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            redis.client().eval(_RENEW, 1, self.key, self.token, self.ttl)

    def held(self) -> bool:
        return redis.client().get(self.key) == self.token.encode()

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        redis.client().eval(_RELEASE, 1, self.key, self.token)


def lease_held(name: str) -> bool:
    return bool(redis.client().exists(redis.key(name)))
