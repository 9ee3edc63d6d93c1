"""The whole requests feed, rendered once per change of the complaints and kept for everyone.

``requests.json`` / ``.xml`` without a filter is the same answer for every reader (up to 1,000
rows, ~20 ms of Python to build), and it is what GeoReport readers poll. It is kept under the
dashboard's version number (core/figures.py), which every complaint write bumps after commit,
so a kept feed is never older than the last filing, status change, edit or deletion (a photo
added later, and a request leaving the 90-day window, show within the dashboard's 300 s; see
docs/decisions.md, Open311). One entry per format, language and time
zone holds the version it was rendered at and is replaced when the version moves: a feed is
half a megabyte, and keeping one per version (as the dashboard's small figures are kept) would
pile up copies under steady filing. Right after a change several requests may render it at
once; each gives a correct answer, and the last one to finish is kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from core.figures import dashboard_version


def open311_feed_cached(*, fmt: str, render: Callable[[], bytes]) -> bytes:
    """The feed in ``fmt`` for the request's language and time zone: kept, or ``render()``ed
    and kept (DASHBOARD_CACHE_SECONDS at most, which bounds the drift of its 90-day window)."""
    key = f"open311:feed:{fmt}:{get_language()}:{get_current_timezone_name()}"
    version = dashboard_version()  # read before rendering: a write after it retires the answer
    kept = cache.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    body = render()
    cache.set(key, (version, body), timeout=settings.DASHBOARD_CACHE_SECONDS)
    return body
