"""Reads of notices: the board readers see (cached) and the lists staff manage (policy.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import datetime

import django_filters
from django.db.models import Case, F, IntegerField, Min, Q, QuerySet, Value, When
from django.utils import timezone

from apps.users.models import User, UserType
from core.exceptions import NotFound
from core.filters import SearchTextFilter, StrictBooleanFilter
from core.text import ward_digits

from .cache import notices_cached
from .enums import PRIORITY_RANK
from .models import Notice
from .policy import (
    board_for,
    for_wards,
    notices_managed_by,
    on_board,
    reader_ward,
    reads_as_staff,
)


def _ordered(notices: QuerySet[Notice]) -> QuerySet[Notice]:
    """Urgent first, then by priority, then newest; with what the answer shows loaded."""
    rank = Case(
        *(When(priority=value, then=Value(rank)) for value, rank in PRIORITY_RANK.items()),
        output_field=IntegerField(),
    )
    # The author's name, not their row: boards are cached, and a user row holds a password hash.
    return (
        notices.prefetch_related("wards")
        .annotate(priority_rank=rank, created_by_name=F("created_by__name"))
        .order_by("-is_urgent", "priority_rank", "-published_at", "-created_at")
    )


def ward_input(value: str) -> str:
    """'০৫' and '05' name ward 5, as they do on input."""
    return ward_digits(value)[:10]


class NoticeFilter(django_filters.FilterSet):
    """Staff lists: ``is_active`` (withdrawn and expired notices are not), category, ward."""

    is_active = StrictBooleanFilter(method="filter_is_active")
    category = SearchTextFilter(field_name="category")
    ward = SearchTextFilter(method="filter_ward")

    class Meta:
        model = Notice
        fields = ["is_active", "category", "ward"]

    def filter_is_active(self, notices, name, value):
        # By the times, so an expired notice is inactive before the sweep marks it.
        now = timezone.now()
        live = Q(is_active=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        return notices.filter(live if value else ~live)

    def filter_ward(self, notices, name, value):
        return notices.filter(for_wards([ward_input(value)])) if value else notices


def notice_list(*, viewer: User) -> QuerySet[Notice]:
    """The notices a staff member manages, in every state, in board order."""
    return _ordered(notices_managed_by(viewer, now=timezone.now()))


def notice_board(
    *,
    viewer: User,
    written: Callable[[list[Notice]], list],
    variant: str,
    category: str | None = None,
) -> list:
    """What ``viewer`` reads on the board now: their ward's notices and the city-wide ones
    (anonymous visitors and people without a ward: city-wide only), as ``written(notices)``
    answers them (the serializer's rows). Cached per ward and category as those rows, under
    ``variant`` (what else they depend on: the answer's language), so a read unpickles plain
    rows and writes nothing again.
    """
    ward = reader_ward(viewer)
    category = (category or "").strip() or None
    scope = f"board:{ward or '-'}:{_digest(category)}:{_digest(variant)}"

    def compute(now: datetime) -> tuple[list, datetime | None]:
        notices = board_for(ward, now=now)
        if category:
            notices = notices.filter(category=category)
        return list(written(list(_ordered(notices)))), notice_next_change(now=now)

    return notices_cached(scope=scope, compute=compute)


def _digest(text: str | None) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16] if text else "-"


def notice_next_change(*, now: datetime) -> datetime | None:
    """The next moment any notice joins or leaves a board by itself (published or expiring)."""
    upcoming = Notice.objects.filter(is_active=True).aggregate(
        publish=Min("published_at", filter=Q(published_at__gt=now)),
        expire=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    moments = [moment for moment in upcoming.values() if moment is not None]
    return min(moments) if moments else None


def _visible_to(viewer: User) -> QuerySet[Notice]:
    now = timezone.now()
    if reads_as_staff(viewer):
        return notices_managed_by(viewer, now=now)
    return board_for(reader_ward(viewer), now=now)


def notice_get(*, viewer: User, notice_id) -> Notice:
    """One notice the viewer may see (staff: one they manage; others: one on their board)."""
    try:
        return _ordered(_visible_to(viewer)).get(pk=notice_id)
    except (Notice.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def notice_with_attachment(*, viewer: User, notice_id) -> Notice:
    notice = notice_get(viewer=viewer, notice_id=notice_id)
    if not notice.attachment:
        raise NotFound()
    return notice


def notice_after_write(notice_id) -> Notice:
    """Reload a notice its author has just changed, whatever it now shows to whom."""
    return _ordered(Notice.objects.all()).get(pk=notice_id)


def notices_urgent_due(*, now: datetime) -> list:
    """Urgent notices on the board whose push has not started (scheduled ones, once due)."""
    return list(
        Notice.objects.filter(on_board(now), is_urgent=True, urgent_sent_at__isnull=True)
        .order_by("published_at")
        .values_list("pk", flat=True)
    )


def urgent_recipient_batches(*, wards: list[str], size: int) -> Iterator[list[str]]:
    """Ids of the active, verified citizens of ``wards`` (empty: the whole city), ``size`` at a
    time in id order. Each batch is its own short query, so no cursor stays open."""
    citizens = User.objects.filter(user_type=UserType.CITIZEN, is_active=True, is_verified=True)
    if wards:
        citizens = citizens.filter(ward_number__in=wards)
    after = None
    while True:
        page = citizens.filter(pk__gt=after) if after is not None else citizens
        batch = list(page.order_by("pk").values_list("pk", flat=True)[:size])
        if not batch:
            return
        yield [str(pk) for pk in batch]
        after = batch[-1]
