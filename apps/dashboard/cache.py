"""The dashboard's answers in Django's cache, under one version number every relevant write bumps.

Every cached figure's key carries the current version, so ``dashboard_touch()`` (which the
services register with ``transaction.on_commit``) makes every earlier answer unreachable at once;
the stale entries simply expire. The version itself lives in core/figures.py, which the
services of every app import.

After a touch, many requests miss the same key at once (every citizen's home screen asks for
``stats/``). Only one of them computes the answer (single flight): it takes a short lock in the
cache (``add``: Redis SET NX); the others wait for the answer it stores, polling the cache, and
take over if it fails or is slower than DASHBOARD_WAIT_SECONDS. They wait rather than get the
previous answer, so a read right after a write is still exact.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from core.figures import VERSION_KEY, accounts_version, dashboard_touch, dashboard_version
from core.rls import as_system

__all__ = [
    "VERSION_KEY",
    "accounts_cached",
    "dashboard_cached",
    "dashboard_touch",
    "dashboard_version",
]

T = TypeVar("T")

# A computing request that died leaves its lock this long at most; its waiters stop waiting
# sooner (DASHBOARD_WAIT_SECONDS) and compute the answer themselves.
LOCK_SECONDS = 60
FIRST_POLL_SECONDS = 0.01
LAST_POLL_SECONDS = 0.1


def dashboard_cached(*, figure: str, scope: str, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for ``figure`` seen from ``scope``, kept DASHBOARD_CACHE_SECONDS;
    computed by one request at a time however many miss it together."""
    key = f"dashboard:v{dashboard_version()}:{figure}:{scope}"
    lock = f"{key}:computing"
    deadline = time.monotonic() + settings.DASHBOARD_WAIT_SECONDS
    poll = FIRST_POLL_SECONDS
    while True:
        answer = cache.get(key)
        if answer is not None:
            return answer
        if cache.add(lock, True, timeout=LOCK_SECONDS):
            try:
                # The request that held the lock may have stored the answer and let go between
                # this request's read and its lock: read again before computing.
                answer = cache.get(key)
                return answer if answer is not None else _compute_and_keep(key, compute)
            finally:
                cache.delete(lock)
        if time.monotonic() >= deadline:  # the computing request is stuck: do not wait on it
            return _compute_and_keep(key, compute)
        time.sleep(poll)
        poll = min(poll * 2, LAST_POLL_SECONDS)


def accounts_cached(*, figure: str, compute: Callable[[], T]) -> T:
    """``compute()``'s answer over accounts alone, kept until an account changes
    (core.figures.accounts_touch) or DASHBOARD_CACHE_SECONDS pass: a complaint's write retires
    the answers that carry it, not this. Called inside dashboard_cached's computation, which
    already runs once however many requests miss it."""
    key = f"dashboard:accounts:v{accounts_version()}:{figure}"
    answer = cache.get(key)
    return answer if answer is not None else _compute_and_keep(key, compute)


def _compute_and_keep(key: str, compute: Callable[[], T]) -> T:
    # Kept for everyone of the scope, so computed as the system (core/rls.py): the scope is in
    # compute's arguments, never in whose request happened to miss the cache.
    with as_system():
        answer = compute()
    cache.set(key, answer, timeout=settings.DASHBOARD_CACHE_SECONDS)
    return answer
