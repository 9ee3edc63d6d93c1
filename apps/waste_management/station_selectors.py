"""Reads of transfer stations (STS): who sees which station, its readings, its fill level and the
trend of its last days, and the weighbridge key a device holds.

Staff see the stations of the wards their `waste` rows let them read (super admins: all); the
dashboard and the console read the same figures through ``station_overview``.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Length, RowNumber, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.users.models import AdminPermission, User, UserType
from apps.users.policy import ALL_WARDS, Action, permitted_wards
from core.exceptions import NotFound, PermissionDenied

from .enums import STATION_FULL_PERCENT, STATION_WARNING_PERCENT
from .models import StationDeviceKey, StationReading, TransferStation
from .policy import RESOURCE

TREND_DAYS = 7
HUNDREDTH = Decimal("0.01")
# Ward 5 before ward 12: by the number's length, then its digits; then by name.
WARD_ORDER = (Length("ward_number"), "ward_number", "name", "pk")
WRONG_STATION = _("This weighbridge key belongs to another transfer station.")


# ---------------------------------------------------------------------------------------------
# Rights
# ---------------------------------------------------------------------------------------------
def station_wards(viewer: User, *, action: Action):
    """The wards whose stations ``viewer`` may ``action`` (ALL_WARDS or a set): one query, for
    a list that asks of every row."""
    return permitted_wards(viewer, resource=RESOURCE, action=action)


def station_may(viewer: User, ward_number: str, *, action: Action) -> bool:
    """May ``viewer`` ``action`` the stations of ``ward_number`` (their `waste` rights)?"""
    return ward_number in station_wards(viewer, action=action)


def stations_visible(viewer: User) -> QuerySet[TransferStation]:
    wards = permitted_wards(viewer, resource=RESOURCE, action="read")
    stations = TransferStation.objects.all()
    if wards is ALL_WARDS:
        return stations
    return stations.filter(ward_number__in=sorted(wards))


def station_staff_to_warn(*, ward_number: str, everyone_above: bool) -> list[User]:
    """Who hears that a station of ``ward_number`` is filling up: the active ward admins whose
    `waste` rows cover the ward, and with ``everyone_above`` the active super admins too."""
    rows = AdminPermission.objects.filter(
        permission_type=RESOURCE,
        can_read=True,
        admin__is_active=True,
        admin__user_type=UserType.ADMIN,
    ).select_related("admin")
    people = {row.admin_id: row.admin for row in rows if ward_number in map(str, row.ward_numbers)}
    if everyone_above:
        for boss in User.objects.filter(user_type=UserType.SUPER_ADMIN, is_active=True):
            people[boss.pk] = boss
    return sorted(people.values(), key=lambda person: person.phone)


# ---------------------------------------------------------------------------------------------
# Stations and readings
# ---------------------------------------------------------------------------------------------
def station_list(*, viewer: User) -> QuerySet[TransferStation]:
    """The stations ``viewer`` may read, by ward and name."""
    return stations_visible(viewer).order_by(*WARD_ORDER)


def station_get(*, viewer: User, station_id) -> TransferStation:
    """One station ``viewer`` may read; any other (or none) is 404."""
    try:
        return stations_visible(viewer).get(pk=station_id)
    except (TransferStation.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def station_for_device(*, device: StationDeviceKey, station_id) -> TransferStation:
    """The station a weighbridge posts to: its own, or 403 (whether or not the other exists)."""
    if str(device.station_id) != str(station_id):
        raise PermissionDenied(WRONG_STATION)
    return device.station


def station_readings(*, station: TransferStation) -> QuerySet[StationReading]:
    """A station's readings, newest first, with who (or which weighbridge) weighed each."""
    return (
        StationReading.objects.filter(station=station)
        .select_related("station", "recorded_by", "device")
        .order_by("-at", "-created_at", "-pk")
    )


def station_device_key_find(*, raw: str) -> StationDeviceKey | None:
    """The key whose SHA-256 is that of ``raw`` (active or not), with its station."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return StationDeviceKey.objects.select_related("station").filter(key_hash=digest).first()


# ---------------------------------------------------------------------------------------------
# Fill levels
# ---------------------------------------------------------------------------------------------
def utilization_percent(load: Decimal | None, capacity: Decimal) -> Decimal | None:
    """``load`` as a share of ``capacity`` in percent, two places, half up (None: no reading)."""
    if load is None or not capacity:
        return None
    return (Decimal(load) * 100 / Decimal(capacity)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def alert_level_of(percent: Decimal | None) -> int:
    """The warning level a fill level stands at: 100, 80 or 0."""
    if percent is None:
        return 0
    if percent >= STATION_FULL_PERCENT:
        return int(STATION_FULL_PERCENT)
    if percent >= STATION_WARNING_PERCENT:
        return int(STATION_WARNING_PERCENT)
    return 0


def trend_days(*, today: date, days: int = TREND_DAYS) -> list[date]:
    """The last ``days`` Dhaka days, oldest first, ending with ``today``."""
    return [today - timedelta(days=back) for back in range(days - 1, -1, -1)]


def station_day_loads(*, station_ids: list, since: datetime) -> dict:
    """{(station_id, Dhaka day): the day's last reading's load} for readings from ``since``.

    The database picks each day's last reading (a window over station and day), so a weighbridge
    that reports every few minutes costs no more rows than one reading a day."""
    if not station_ids:
        return {}
    day = TruncDate("at", tzinfo=timezone.get_current_timezone())
    last_of_day = (
        StationReading.objects.filter(station_id__in=station_ids, at__gte=since)
        .annotate(
            day=day,
            place=Window(
                RowNumber(),
                partition_by=[F("station_id"), day],
                order_by=[F("at").desc(), F("created_at").desc(), F("pk").desc()],
            ),
        )
        .filter(place=1)
        .values_list("station_id", "day", "load_tons")
    )
    return {(station_id, day): load for station_id, day, load in last_of_day}


def station_trends(stations: list[TransferStation], *, now: datetime | None = None) -> dict:
    """{station id: [{date, load_tons, utilization_percent}] for each of the last 7 Dhaka days,
    oldest first}: each day's last reading, null on a day without one."""
    now = now or timezone.now()
    days = trend_days(today=timezone.localdate(now))
    since = timezone.make_aware(datetime.combine(days[0], datetime.min.time()))
    loads = station_day_loads(station_ids=[s.pk for s in stations], since=since)
    trends = {}
    for station in stations:
        points = []
        for day in days:
            load = loads.get((station.pk, day))
            points.append(
                {
                    "date": day,
                    "load_tons": load,
                    "utilization_percent": utilization_percent(load, station.capacity_tons),
                }
            )
        trends[station.pk] = points
    return trends


def station_figures(station: TransferStation, trend: list | None = None) -> dict:
    """What the dashboard, the reports and the console show of one station."""
    percent = utilization_percent(station.current_load_tons, station.capacity_tons)
    figures = {
        "id": station.pk,
        "name": station.name,
        "ward_number": station.ward_number,
        "capacity_tons": station.capacity_tons,
        "current_load_tons": station.current_load_tons,
        "utilization_percent": percent,
        "last_reading_at": station.last_reading_at,
        "alert_level": alert_level_of(percent),
    }
    if trend is not None:
        figures["trend"] = trend
    return figures


def station_overview(*, wards, now: datetime | None = None) -> list[dict]:
    """Every station in service in ``wards`` (ALL_WARDS or a set) with its fill level and the
    trend of its last 7 days, by ward and name: two queries whatever the number of readings."""
    stations = _stations_in(wards)
    trends = station_trends(stations, now=now) if stations else {}
    return [station_figures(station, trends[station.pk]) for station in stations]


def _stations_in(wards) -> list[TransferStation]:
    stations = TransferStation.objects.filter(is_active=True)
    if wards is not ALL_WARDS:
        stations = stations.filter(ward_number__in=sorted(wards))
    return list(stations.order_by(*WARD_ORDER))


def station_period_figures(*, wards, since: datetime, until: datetime) -> list[dict]:
    """Each station in service in ``wards`` over [since, until): how many readings, the peak
    load, and the load at the period's end (the last reading before ``until``, whenever it
    was taken), with their shares of the capacity. Three queries."""
    stations = _stations_in(wards)
    if not stations:
        return []
    ids = [station.pk for station in stations]
    in_period = (
        StationReading.objects.filter(station_id__in=ids, at__gte=since, at__lt=until)
        .values("station_id")
        .annotate(count=Count("pk"), peak=Max("load_tons"))
        .values_list("station_id", "count", "peak")
    )
    counts = {station_id: (count, peak) for station_id, count, peak in in_period}
    closing = dict(
        TransferStation.objects.filter(pk__in=ids)
        .annotate(
            closing=Subquery(
                StationReading.objects.filter(station_id=OuterRef("pk"), at__lt=until)
                .order_by("-at", "-created_at", "-pk")
                .values("load_tons")[:1]
            )
        )
        .values_list("pk", "closing")
    )
    figures = []
    for station in stations:
        count, peak = counts.get(station.pk, (0, None))
        end = closing.get(station.pk)
        figures.append(
            {
                "id": station.pk,
                "name": station.name,
                "ward_number": station.ward_number,
                "capacity_tons": station.capacity_tons,
                "readings": count,
                "peak_load_tons": peak,
                "peak_percent": utilization_percent(peak, station.capacity_tons),
                "closing_load_tons": end,
                "closing_percent": utilization_percent(end, station.capacity_tons),
            }
        )
    return figures
