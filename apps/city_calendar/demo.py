"""The Bangladeshi public holidays of the current year whose dates are fixed by law, which
`seed_demo` enters once as city-wide government holidays. The movable ones (the two Eids,
Shab-e-Barat, Ashura, Durga Puja, Buddha Purnima, Janmashtami, …) follow the moon or the
almanac and are announced each year: staff enter those.

15 August (National Mourning Day) is not here: the government removed it from the public
holidays in October 2024. 7 March was removed at the same time.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from apps.users.models import User, UserType

from .enums import CITY_TZ, EventType
from .models import Event
from .services import event_create

DEMO_PUBLISHER = "+8801700000001"  # the demo super admin: holidays are city-wide
# (month, day, Bengali title, English title)
FIXED_HOLIDAYS = [
    (2, 21, "শহীদ দিবস ও আন্তর্জাতিক মাতৃভাষা দিবস",
     "Shaheed Day and International Mother Language Day"),
    (3, 26, "স্বাধীনতা ও জাতীয় দিবস", "Independence and National Day"),
    (4, 14, "বাংলা নববর্ষ (পহেলা বৈশাখ)", "Bengali New Year (Pohela Boishakh)"),
    (5, 1, "মে দিবস", "May Day"),
    (12, 16, "বিজয় দিবস", "Victory Day"),
    (12, 25, "যিশু খ্রিস্টের জন্মদিন (বড়দিন)", "Christmas Day"),
]  # fmt: skip
HOLIDAY_DESCRIPTION = "সরকারি ছুটি (Government holiday)"


def holidays_of(year: int) -> list[dict]:
    """The fixed-date public holidays of ``year``, as the service takes them."""
    return [
        {
            "title": title,
            "title_en": title_en,
            "description": HOLIDAY_DESCRIPTION,
            "event_type": EventType.HOLIDAY,
            "start": datetime.combine(date(year, month, day), time.min, tzinfo=CITY_TZ),
            "end": datetime.combine(date(year, month, day), time.min, tzinfo=CITY_TZ),
            "all_day": True,
            "ward_number": None,
        }
        for month, day, title, title_en in FIXED_HOLIDAYS
    ]


def demo_events_load(*, year: int | None = None) -> list[Event]:
    """Enter this year's (Asia/Dhaka) fixed holidays that are missing (by type and day), through
    the service as the demo super admin would; nothing happens without that account."""
    publisher = User.objects.filter(
        phone=DEMO_PUBLISHER, user_type=UserType.SUPER_ADMIN, is_active=True
    ).first()
    if publisher is None:
        return []
    year = year or timezone.now().astimezone(CITY_TZ).year
    return [
        event_create(actor=publisher, data=fields)
        for fields in holidays_of(year)
        if not Event.objects.filter(
            event_type=EventType.HOLIDAY, start=fields["start"], ward_number__isnull=True
        ).exists()
    ]
