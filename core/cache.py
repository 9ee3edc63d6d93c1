"""The Redis cache, with one client per connection pool instead of one per call.

Django's RedisCacheClient builds a new ``redis.Redis`` for every cache call, and building one
copies redis-py's table of response callbacks (about a quarter of a millisecond). A request
makes several calls (throttles, the token revocation check, cached counts and figures), so that
was a millisecond of every request spent on clients thrown away at once. A ``redis.Redis`` over
a pool is safe to share between threads (each command borrows a connection from the pool), so
each pool keeps one.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping the ``redis.Redis`` it builds for each pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:  # two threads may both build one: harmless, the last one stays
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache on SharedClientRedisCacheClient (CACHES' BACKEND)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
