"""The Redis cache, with one connection pool and one client per process instead of per thread.

Django keeps a cache object per thread, each with its own ``RedisCacheClient``, its own
connection pools and so its own connections. Under ASGI every request runs its sync code in a
thread of its own (asgiref's thread-sensitive context), so every request opened a fresh TCP
connection to Redis, with redis-py's handshake and the lookup of its own version for the
handshake: about 3 ms of a trivial request's 9. Django's client also builds a new
``redis.Redis`` for every cache call, copying redis-py's table of response callbacks (a
quarter of a millisecond each).

Both are thread-safe: a pool lends each command a connection of its own, and a ``redis.Redis``
over a pool holds nothing else. So the process keeps one pool and one client per server and
options, shared by every thread's cache object; a forked child gets fresh connections (redis-py
checks the process id on every borrow).
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

_shared: dict[tuple, object] = {}
_shared_lock = threading.Lock()


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client over the process's pools and clients."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._entries: dict[int, tuple] = {}  # server index -> (pool, client)

    def _entry(self, write: bool) -> tuple:
        index = self._get_connection_pool_index(write)
        entry = self._entries.get(index)
        if entry is None:
            entry = self._entries[index] = self._process_entry(index)
        return entry

    def _process_entry(self, index: int) -> tuple:
        options = sorted((name, repr(value)) for name, value in self._pool_options.items())
        key = (self._servers[index], self._pool_class, tuple(options))
        with _shared_lock:
            entry = _shared.get(key)
            if entry is None:
                pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
                entry = _shared[key] = (pool, self._client(connection_pool=pool))
        return entry

    def _get_connection_pool(self, write):
        return self._entry(write)[0]

    def get_client(self, key=None, *, write=False):
        return self._entry(write)[1]


class RedisCache(DjangoRedisCache):
    """Django's Redis cache on SharedClientRedisCacheClient (CACHES' BACKEND)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
