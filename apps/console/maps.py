"""What the console's maps draw (apps/console/static/console/map.js reads it from a json_script
tag): complaint pins and the ward centres around them, plus the tile server when one is set."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.users.selectors import ward_list_located, wards_near

# Ward centres drawn around a single place: enough neighbours to read where it is.
NEIGHBOUR_KM = 2.5
NEIGHBOURS = 8


def _ward_point(ward, *, own: bool) -> dict:
    """A ward centre; a complaint's own ward is labelled with its name, the others by number
    only, so the labels do not bury the map."""
    if own:
        name = ward.name_bn if get_language() == "bn" else ward.name_en
        label = _("Ward %(number)s: %(name)s") % {"number": ward.number, "name": name}
    else:
        label = _("Ward %(number)s") % {"number": ward.number}
    return {"lat": float(ward.latitude), "lng": float(ward.longitude), "label": label, "own": own}


def _pin(complaint) -> dict | None:
    if complaint.latitude is None or complaint.longitude is None:
        return None
    return {
        "lat": float(complaint.latitude),
        "lng": float(complaint.longitude),
        "label": complaint.tracking_number,
        "url": reverse("console:complaint", args=[complaint.pk]),
    }


def _located_wards(numbers):
    return ward_list_located(numbers)


def _map(pins: list[dict], wards: list[dict]) -> dict:
    return {
        "pins": pins,
        "wards": wards,
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def complaint_map(complaint) -> dict | None:
    """The complaint's pin (when it has coordinates) and its ward's centre with the neighbouring
    centres; None when neither the place nor the ward centre is known."""
    own = _located_wards([complaint.ward_number]).first() if complaint.ward_number else None
    pin = _pin(complaint)
    if pin is not None:
        centre = (complaint.latitude, complaint.longitude)
    elif own is not None:
        centre = (own.latitude, own.longitude)
    else:
        return None
    around = wards_near(latitude=centre[0], longitude=centre[1], km=NEIGHBOUR_KM)[:NEIGHBOURS]
    wards = [_ward_point(ward, own=own is not None and ward.pk == own.pk) for ward in around]
    if own is not None and not any(point["own"] for point in wards):
        wards.append(_ward_point(own, own=True))
    return _map([pin] if pin else [], wards)


def complaints_map(complaints) -> dict | None:
    """Several complaints (a page of the work list): their pins and their wards' centres; None
    when none of them can be placed."""
    pins = [pin for pin in map(_pin, complaints) if pin is not None]
    numbers = {complaint.ward_number for complaint in complaints if complaint.ward_number}
    wards = [_ward_point(ward, own=True) for ward in _located_wards(numbers)]
    return _map(pins, wards) if pins or wards else None
