"""What the console's maps draw (apps/console/static/console/map.js reads it from a json_script
tag): a complaint's pin and the ward centres around it, plus the tile server when one is set."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.users.selectors import ward_list, wards_near

# Ward centres drawn around the place: enough neighbours to read where it is.
NEIGHBOUR_KM = 2.5
NEIGHBOURS = 8


def _ward_point(ward, *, own: bool) -> dict:
    """A ward centre; the complaint's own ward is labelled with its name, the others by number
    only, so the labels do not bury the map."""
    if own:
        name = ward.name_bn if get_language() == "bn" else ward.name_en
        label = _("Ward %(number)s: %(name)s") % {"number": ward.number, "name": name}
    else:
        label = _("Ward %(number)s") % {"number": ward.number}
    return {"lat": float(ward.latitude), "lng": float(ward.longitude), "label": label, "own": own}


def complaint_map(complaint) -> dict | None:
    """The complaint's pin (when it has coordinates) and its ward's centre with the neighbouring
    centres; None when neither the place nor the ward centre is known."""
    own = (
        ward_list()
        .filter(number=complaint.ward_number)
        .exclude(latitude=None)
        .exclude(longitude=None)
        .first()
        if complaint.ward_number
        else None
    )
    pin = None
    if complaint.latitude is not None and complaint.longitude is not None:
        pin = {
            "lat": float(complaint.latitude),
            "lng": float(complaint.longitude),
            "label": complaint.tracking_number,
        }
        centre = (complaint.latitude, complaint.longitude)
    elif own is not None:
        centre = (own.latitude, own.longitude)
    else:
        return None
    around = wards_near(latitude=centre[0], longitude=centre[1], km=NEIGHBOUR_KM)[:NEIGHBOURS]
    wards = [_ward_point(ward, own=own is not None and ward.pk == own.pk) for ward in around]
    if own is not None and not any(point["own"] for point in wards):
        wards.append(_ward_point(own, own=True))
    return {
        "pin": pin,
        "wards": wards,
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }
