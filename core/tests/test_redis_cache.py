"""The Redis cache keeps one pool and one client per process (core/cache.py): a request's thread
borrows a connection instead of opening its own (under ASGI each request has a new thread)."""

import threading

import pytest
from django.conf import settings

from core.cache import RedisCache

pytestmark = pytest.mark.services


@pytest.fixture
def location():
    assert settings.REDIS_URL, "make test-services runs these against Redis"
    return settings.REDIS_URL


def in_new_thread(work):
    result = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    thread.join()
    return result[0]


def test_caches_made_in_different_threads_share_one_client_and_pool(location):
    def a_threads_cache():
        cache = RedisCache(location, {"KEY_PREFIX": "test-shared"})
        client = cache._cache.get_client(write=True)
        return client, client.connection_pool

    first, second = in_new_thread(a_threads_cache), in_new_thread(a_threads_cache)
    assert first[0] is second[0]
    assert first[1] is second[1]


def test_requests_in_new_threads_reuse_the_pools_connections(location):
    def a_request():
        cache = RedisCache(location, {"KEY_PREFIX": "test-shared"})
        cache.set("count", 1)
        return cache.get("count")

    assert in_new_thread(a_request) == 1
    pool = RedisCache(location, {"KEY_PREFIX": "test-shared"})._cache.get_client().connection_pool
    opened = pool._created_connections
    for _ in range(20):
        assert in_new_thread(a_request) == 1
    assert pool._created_connections == opened


def test_other_options_get_a_pool_of_their_own(location):
    plain = RedisCache(location, {})._cache.get_client()
    bounded = RedisCache(location, {"OPTIONS": {"max_connections": 50}})._cache.get_client()
    assert plain is not bounded
    assert plain.connection_pool is not bounded.connection_pool
