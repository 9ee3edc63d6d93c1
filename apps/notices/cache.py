"""The notice board in Django's cache, under a version number every change to a notice bumps.

Each cached board carries the moment it stops being true: the next time any notice is
published or expires. A read at or after that moment computes afresh, so caching never delays a
scheduled notice or keeps an expired one; ``notices_touch()`` (after commit, from the services)
retires every cached board at once when staff change something.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

VERSION_KEY = "notices:version"

T = TypeVar("T")


def _fresh_version() -> int:
    """A starting version no earlier one can equal (the key may have been evicted)."""
    return time.time_ns() // 1000


def notices_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def notices_touch() -> None:
    """Every cached board is out of date. Call it after commit (transaction.on_commit)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new value retires the old boards
        if not cache.add(VERSION_KEY, _fresh_version(), timeout=None):
            cache.incr(VERSION_KEY)


def notices_cached(*, scope: str, compute: Callable[[datetime], tuple[T, datetime | None]]) -> T:
    """``compute(now)``'s answer for ``scope``, kept NOTICE_CACHE_SECONDS at most.

    ``compute`` returns the answer and the next moment it may change by itself (a notice
    published or expiring then), or None; the entry is not used from that moment on.
    """
    key = f"notices:v{notices_version()}:{scope}"
    now = timezone.now()
    entry = cache.get(key)
    if entry is not None and now.timestamp() < entry[1]:
        return entry[0]
    answer, changes_at = compute(now)
    valid_until = now.timestamp() + settings.NOTICE_CACHE_SECONDS
    if changes_at is not None:
        valid_until = min(valid_until, changes_at.timestamp())
    timeout = valid_until - now.timestamp()
    if timeout > 0:
        cache.set(key, (answer, valid_until), timeout=max(1, int(timeout) + 1))
    return answer
