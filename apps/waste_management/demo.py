"""Demo waste data that `seed_demo` loads once: a weekly household collection for every ward
(marked demo in its notes) and a fee for bulky items, so the paid special collection can be
tried with the payment simulators."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from apps.users.models import Ward

from .enums import WasteType
from .models import CollectionSchedule, WasteFee

DEMO_NOTE = "ডেমো সময়সূচি (Demo schedule): not a real collection time"
DEMO_FEE = (WasteType.BULKY, Decimal("500.00"))


def demo_waste_load() -> tuple[int, bool]:
    """Add the demo schedule of each ward that has none yet (day by ward number, 07:00–09:00)
    and the bulky-items fee if no fee is set for it. Written directly, not through the service:
    nobody should be told of demo data. Returns (schedules added, fee added)."""
    done = set(
        CollectionSchedule.objects.filter(notes=DEMO_NOTE).values_list("ward_number", flat=True)
    )
    numbers = Ward.objects.exclude(number__in=done).values_list("number", flat=True)
    added = CollectionSchedule.objects.bulk_create(
        CollectionSchedule(
            ward_number=number,
            day_of_week=int(number) % 7 if number.isdigit() else 0,
            start_time=time(7),
            end_time=time(9),
            waste_type=WasteType.HOUSEHOLD,
            notes=DEMO_NOTE,
        )
        for number in numbers.distinct()
    )
    waste_type, amount = DEMO_FEE
    _fee, fee_added = WasteFee.objects.get_or_create(
        waste_type=waste_type, defaults={"amount": amount}
    )
    return len(added), fee_added
