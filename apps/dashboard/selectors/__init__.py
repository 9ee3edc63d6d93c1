"""The dashboard's figures: aggregate queries over the wards a viewer may read, cached.

Each figure takes ``wards``: ALL_WARDS (super admin) or the set of ward numbers a ward admin's
permission rows grant for the resource (possibly empty: then every figure is zero or empty).
The database does the counting; Python only shapes the handful of aggregated groups (statuses,
categories, wards, projects), never complaint, user or payment rows. Non-integer figures are
Decimals with two places (half up), rendered as strings like money.

``dashboard_figure`` is what the console calls: the viewer's scope, then the cached answer for
it; ``dashboard_figure_rendered`` is what the API calls, the answer as it goes on the wire.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from apps.users.models import User
from apps.users.policy import ALL_WARDS, permitted_wards

from ..cache import dashboard_cached
from .accounts import home_stats, user_stats
from .common import Wards
from .complaints import (
    citizen_satisfaction,
    complaint_categories,
    complaint_overview,
    complaint_stats,
    recent_complaints,
    service_time,
    ward_performance,
)
from .emergencies import emergency_stats
from .money import financial_overview
from .report import report_figures
from .stations import sts_overview

KPI_WARD_LIMIT = 10
T = TypeVar("T")

__all__ = [
    "FIGURES",
    "citizen_satisfaction",
    "complaint_categories",
    "complaint_stats",
    "dashboard_figure",
    "dashboard_figure_rendered",
    "emergency_stats",
    "figure_has_scope",
    "financial_overview",
    "home_stats",
    "kpi",
    "recent_complaints",
    "report_figures",
    "scope_key",
    "service_time",
    "sts_overview",
    "user_stats",
    "ward_performance",
]


def kpi(*, wards: Wards) -> dict:
    """Seed 002 §7.1's KPI answer (its keys kept), from two grouped reads of the complaints
    (the median riding along on PostgreSQL) plus the user counts."""
    overview = complaint_overview(wards=wards, ward_limit=KPI_WARD_LIMIT)
    return {
        "complaint_stats": overview["complaint_stats"],
        "user_stats": user_stats(wards=wards),
        "citizen_satisfaction": overview["satisfaction"]["average_rating"],
        "avg_service_time_hours": overview["service_time"]["mean_hours"],
        "ward_performance": overview["ward_performance"],
        "satisfaction": overview["satisfaction"],
        "service_time": overview["service_time"],
        "categories": overview["categories"],
    }


# ---------------------------------------------------------------------------------------------
# Entry point of the views: the viewer's scope, then the cached answer for that scope
# ---------------------------------------------------------------------------------------------
# figure → (the permission resource that scopes it, or None for city-wide; the selector)
FIGURES: dict[str, tuple[str | None, Callable]] = {
    "kpi": ("complaints", kpi),
    "complaint_stats": ("complaints", complaint_stats),
    "categories": ("complaints", complaint_categories),
    "satisfaction": ("complaints", citizen_satisfaction),
    "service_time": ("complaints", service_time),
    "ward_performance": ("complaints", ward_performance),
    "recent_complaints": ("complaints", recent_complaints),
    "user_stats": ("complaints", user_stats),
    "sts_overview": ("waste", sts_overview),
    "emergency_stats": ("emergency", emergency_stats),
    "financial": ("payments", financial_overview),
    "stats": (None, home_stats),
}
# Figures that carry others, each computed (and cached) under its own resource's scope.
PARTS: dict[str, tuple[str, ...]] = {"kpi": ("emergency_stats",)}


def scope_key(wards: Wards) -> str:
    """A short cache-key part naming a ward set; equal sets share answers."""
    if wards is ALL_WARDS:
        return "all"
    if not wards:
        return "none"
    return "w" + hashlib.sha256(",".join(sorted(wards)).encode()).hexdigest()[:24]


def dashboard_figure(*, viewer: User, figure: str):
    """``figure`` as ``viewer`` may see it, from the cache when it is current."""
    return _answer(figure, _rights(viewer, figure), keep=True)


def dashboard_figure_rendered(*, viewer: User, figure: str, render: Callable[[object], T]) -> T:
    """``render()`` of ``figure`` as ``viewer`` may see it, kept in the cache as rendered.

    A cached answer was otherwise rendered again for every request: the KPI's nested
    serializers were half the CPU of a cached KPI request. The rendered answer is kept under the
    dashboard's version, so every write that retires the figures retires it, and under the
    scopes of the figure and of each of its PARTS, read once: the same ward sets name the key
    and compute the answer. It is computed from the database, not from the figure's own cache
    entry, so a time-driven figure is never older than DASHBOARD_CACHE_SECONDS either.
    """
    rights = _rights(viewer, figure)
    scope = "+".join("city" if wards is None else scope_key(wards) for wards in rights.values())
    return dashboard_cached(
        figure=f"{figure}:rendered",
        scope=scope,
        compute=lambda: render(_answer(figure, rights, keep=False)),
    )


def _rights(viewer: User, figure: str) -> dict[str, Wards | None]:
    """The wards ``viewer`` may read for ``figure`` and each of its PARTS (None: city-wide)."""
    rights = {}
    for name in (figure, *PARTS.get(figure, ())):
        resource, _select = FIGURES[name]
        rights[name] = (
            None if resource is None else permitted_wards(viewer, resource=resource, action="read")
        )
    return rights


def _answer(figure: str, rights: dict[str, Wards | None], *, keep: bool):
    """``figure`` over ``rights``' wards: from the cache and kept there with ``keep``, else
    computed now (inside a caller's own cached computation)."""
    _resource, select = FIGURES[figure]
    wards = rights[figure]
    compute = select if wards is None else (lambda: select(wards=wards))
    if not keep:
        answer = compute()
    else:
        scope = "city" if wards is None else scope_key(wards)
        answer = dashboard_cached(figure=figure, scope=scope, compute=compute)
    for part in PARTS.get(figure, ()):
        answer = {**answer, part: _answer(part, rights, keep=keep)}
    return answer


def figure_has_scope(*, viewer: User, figure: str) -> bool:
    """Whether ``viewer``'s permission rows give ``figure`` any ward at all: without one the
    answer is only zeros (a ward admin without `payments` rows and the money figures), which a
    screen may leave out rather than show as if the wards earned nothing."""
    resource, _select = FIGURES[figure]
    return resource is None or bool(permitted_wards(viewer, resource=resource, action="read"))
