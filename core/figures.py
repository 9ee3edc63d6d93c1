"""The version number of the dashboard's figures, bumped by every write that changes one.

It lives in core so that the apps whose services change figures (complaints, payments,
donations, users, authentication) need not depend on the dashboard app; apps/dashboard/cache.py
puts the version into every cached answer's key.
"""

from __future__ import annotations

import time

from django.core.cache import cache

VERSION_KEY = "dashboard:version"
# Figures over accounts alone (the home screen's citizens) are kept under a version of their own,
# so filing a complaint does not make them count a quarter of a million users again.
ACCOUNTS_VERSION_KEY = "dashboard:accounts-version"


def _fresh_version() -> int:
    """A starting version no earlier one can equal: if the cache lost the key (eviction,
    restart), restarting at 1 could revive answers cached under an old 1."""
    return time.time_ns() // 1000


def _version(key: str) -> int:
    version = cache.get(key)
    if version is None:
        cache.add(key, _fresh_version(), timeout=None)
        version = cache.get(key)
    return version


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no version yet (or evicted): any new value retires the old answers
        if not cache.add(key, _fresh_version(), timeout=None):
            cache.incr(key)


def dashboard_version() -> int:
    return _version(VERSION_KEY)


def dashboard_touch() -> None:
    """Every cached dashboard answer is out of date. Call it after commit (transaction.on_commit),
    so the next read computes from the committed data."""
    _bump(VERSION_KEY)


def accounts_version() -> int:
    return _version(ACCOUNTS_VERSION_KEY)


def accounts_touch() -> None:
    """An account was created or changed: what counts accounts is out of date, and with it every
    dashboard answer. Call it after commit, as dashboard_touch."""
    _bump(ACCOUNTS_VERSION_KEY)
    _bump(VERSION_KEY)
