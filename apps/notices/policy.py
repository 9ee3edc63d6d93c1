"""Who may see and change which notices; selectors, services and the admin all ask here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.users.models import User, UserType
from apps.users.policy import ALL_WARDS, Action, permitted_wards

from .enums import State
from .models import Notice, NoticeWard

RESOURCE = "notices"


def on_board(now: datetime) -> Q:
    """Notices readers see at ``now``: active, published, not expired. The times are part of the
    query, so nothing has to run at the moment a notice appears or expires."""
    return Q(is_active=True, published_at__lte=now) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def state_of(notice: Notice, *, now: datetime) -> State:
    """Where ``notice`` stands at ``now`` (the same rule as on_board, for one row)."""
    expired = notice.expires_at is not None and notice.expires_at <= now
    if notice.withdrawn_at is not None or not (notice.is_active or expired):
        return State.WITHDRAWN
    if expired:
        return State.EXPIRED
    if notice.published_at > now:
        return State.SCHEDULED
    return State.PUBLISHED


def city_wide() -> Exists:
    return ~Exists(NoticeWard.objects.filter(notice=OuterRef("pk")))


def for_wards(wards) -> Exists:
    """Notices for any of ``wards`` (answered from the notice_wards indexes)."""
    return Exists(NoticeWard.objects.filter(notice=OuterRef("pk"), ward_number__in=list(wards)))


def reads_as_staff(viewer: User) -> bool:
    """Ward admins and super admins list the notices they manage, in every state."""
    return bool(
        viewer.is_authenticated
        and viewer.is_active
        and viewer.user_type in (UserType.ADMIN, UserType.SUPER_ADMIN)
    )


def reader_ward(viewer: User) -> str | None:
    """The ward whose notices a reader sees beside the city-wide ones (None: city-wide only)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return None
    return viewer.ward_number or None


def board_for(ward: str | None, *, now: datetime) -> QuerySet[Notice]:
    """What a reader of ``ward`` sees now: its notices and the city-wide ones."""
    wanted = city_wide() | for_wards([ward]) if ward else city_wide()
    return Notice.objects.filter(on_board(now)).filter(wanted)


def notices_managed_by(viewer: User, *, now: datetime) -> QuerySet[Notice]:
    """Staff: super admins every notice; a ward admin every notice for a ward their `notices`
    rows let them read, in every state, and the city-wide notices on the board now."""
    notices = Notice.objects.all()
    wards = permitted_wards(viewer, resource=RESOURCE, action="read")
    if wards is ALL_WARDS:
        return notices
    return notices.filter(for_wards(wards) | (city_wide() & on_board(now)))


def may_target(actor: User, wards: set[str], *, action: Action) -> bool:
    """May ``actor`` ``action`` a notice for ``wards`` (empty: city-wide, super admins only)?"""
    return target_check(actor, action=action)(wards)


def target_check(actor: User, *, action: Action) -> Callable[[set[str]], bool]:
    """may_target for many notices: the actor's wards are read once, each notice asks the
    returned check (a list page costs one query, not one a row)."""
    permitted = permitted_wards(actor, resource=RESOURCE, action=action)

    def check(wards: set[str]) -> bool:
        return permitted is ALL_WARDS or (bool(wards) and wards <= permitted)

    return check


def may_change(actor: User, notice: Notice, *, action: Action = "update") -> bool:
    """May ``actor`` edit (or, with ``action="delete"``, withdraw) ``notice``: every ward it is
    for is one their rows grant (a city-wide one: super admins only) — the rule
    ``notice_update`` and ``notice_withdraw`` enforce (a withdrawn notice is their refusal)."""
    return may_target(actor, {row.ward_number for row in notice.wards.all()}, action=action)
