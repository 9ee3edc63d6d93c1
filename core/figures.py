"""The version number of the dashboard's figures, bumped by every write that changes one.

It lives in core so that the apps whose services change figures (complaints, payments,
donations, users, authentication) need not depend on the dashboard app; apps/dashboard/cache.py
puts the version into every cached answer's key.
"""

from __future__ import annotations

import time

from django.core.cache import cache

VERSION_KEY = "dashboard:version"


def _fresh_version() -> int:
    """A starting version no earlier one can equal: if the cache lost the key (eviction,
    restart), restarting at 1 could revive answers cached under an old 1."""
    return time.time_ns() // 1000


def dashboard_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def dashboard_touch() -> None:
    """Every cached dashboard answer is out of date. Call it after commit (transaction.on_commit),
    so the next read computes from the committed data."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new value retires the old answers
        if not cache.add(VERSION_KEY, _fresh_version(), timeout=None):
            cache.incr(VERSION_KEY)
