"""OpenAPI examples of /calendar/: ward 5's admin plans a Saturday cleanup drive for 40 people,
moves it by an hour, and a citizen joins it; the super admin enters Victory Day for the city."""

from drf_spectacular.utils import OpenApiExample

EVENT_ID = "9a4d7c21-3b8e-4f65-a0d2-7e1c5b9f2a34"
HOLIDAY_ID = "1f6b2e90-4c7a-4d18-9e35-b2a8c0d6f471"

_CLEANUP = {
    "title": "৫ নম্বর ওয়ার্ডে পরিচ্ছন্নতা অভিযান",
    "title_en": "Ward 5 cleanup drive",
    "description": "খাল পাড় ও বাজার এলাকা পরিষ্কার করা হবে। গ্লাভস ও ব্যাগ দেওয়া হবে।",
    "event_type": "cleanup",
    "start": "2025-03-22T08:00:00+06:00",
    "end": "2025-03-22T11:00:00+06:00",
    "all_day": False,
    "location": "মিরপুর ১০ গোলচত্বর",
    "ward_number": "5",
    "capacity": 40,
}
CLEANUP = {"id": EVENT_ID, **_CLEANUP, "participant_count": 0, "is_joined": False}

CREATE = OpenApiExample("A cleanup drive in ward 5", value=_CLEANUP, request_only=True)
CREATE_HOLIDAY = OpenApiExample(
    "A government holiday for the whole city (super admin)",
    description="All day: start and end are set to the whole day in Asia/Dhaka.",
    value={
        "title": "বিজয় দিবস",
        "title_en": "Victory Day",
        "description": "সরকারি ছুটি",
        "event_type": "holiday",
        "start": "2025-12-16T00:00:00+06:00",
        "end": "2025-12-16T00:00:00+06:00",
        "all_day": True,
        "location": "",
        "ward_number": None,
        "capacity": None,
    },
    request_only=True,
)
CREATED = OpenApiExample("Added", value=CLEANUP, response_only=True, status_codes=[201])

REPLACE = OpenApiExample(
    "Every field again",
    description="PUT: fields left out take their defaults (no `ward_number` would mean the whole "
    "city, no `capacity` no limit).",
    value={**_CLEANUP, "capacity": 60},
    request_only=True,
)
REPLACED = OpenApiExample(
    "Replaced",
    value={**CLEANUP, "capacity": 60, "participant_count": 12},
    response_only=True,
    status_codes=[200],
)
_LATER = {"start": "2025-03-22T09:00:00+06:00", "end": "2025-03-22T12:00:00+06:00"}
MOVE = OpenApiExample("An hour later", value=_LATER, request_only=True)
MOVED = OpenApiExample(
    "Moved",
    value={**CLEANUP, **_LATER, "participant_count": 12},
    response_only=True,
    status_codes=[200],
)

JOINED = OpenApiExample(
    "Joined",
    value={**CLEANUP, "participant_count": 13, "is_joined": True},
    response_only=True,
    status_codes=[201],
)
JOINED_BEFORE = OpenApiExample(
    "Had joined already",
    value={**CLEANUP, "participant_count": 13, "is_joined": True},
    response_only=True,
    status_codes=[200],
)
