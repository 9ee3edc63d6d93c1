"""The dashboard's answers in Django's cache, under one version number every relevant write bumps.

Every cached figure's key carries the current version, so ``dashboard_touch()`` (which the
services register with ``transaction.on_commit``) makes every earlier answer unreachable at once;
the stale entries simply expire. The version itself lives in core/figures.py, which the
services of every app import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from core.figures import VERSION_KEY, dashboard_touch, dashboard_version
from core.rls import as_system

__all__ = ["VERSION_KEY", "dashboard_cached", "dashboard_touch", "dashboard_version"]

T = TypeVar("T")


def dashboard_cached(*, figure: str, scope: str, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for ``figure`` seen from ``scope``, kept DASHBOARD_CACHE_SECONDS."""
    key = f"dashboard:v{dashboard_version()}:{figure}:{scope}"
    answer = cache.get(key)
    if answer is None:
        # Kept for everyone of the scope, so computed as the system (core/rls.py): the scope
        # is in compute's arguments, never in whose request happened to miss the cache.
        with as_system():
            answer = compute()
        cache.set(key, answer, timeout=settings.DASHBOARD_CACHE_SECONDS)
    return answer
