"""OpenAPI examples of /waste/: ward 5's admin adds a Saturday morning household round, moves it
to Sunday; a citizen asks for a sofa to be taken away (bulky items: 500 BDT, paid by bKash) and
the ward admin schedules it."""

from drf_spectacular.utils import OpenApiExample

from apps.payments.examples import BKASH_PAGE

SCHEDULE_ID = "3f1c9a52-7d4e-4b8a-9e21-6a0d5c7b2e10"
SPECIAL_ID = "b7e2d914-5a3c-4f0e-8c61-2d9f4a7e1b35"
PAYMENT_ID = "5c0a7e3b-1f92-4d6c-a8e4-9b3f2d1c7a60"

_SCHEDULE_FIELDS = {
    "ward_number": "5",
    "day_of_week": 0,
    "start_time": "07:00:00",
    "end_time": "09:00:00",
    "waste_type": "household",
    "vehicle": "ঢাকা মেট্রো-ট ১১-২২৩৩",
    "notes": "বাড়ির সামনে ঢাকনা দেওয়া বালতিতে ময়লা রাখুন।",
    "is_active": True,
}
_SCHEDULE = {
    "id": SCHEDULE_ID,
    **_SCHEDULE_FIELDS,
    "day_of_week_display": "শনিবার",
    "waste_type_display": "গৃহস্থালি বর্জ্য",
    "updated_at": "2025-03-14T16:02:41.775310+06:00",
}

SCHEDULE_CREATE = OpenApiExample(
    "Saturday mornings in ward 5",
    value=_SCHEDULE_FIELDS,
    media_type="application/json",
    request_only=True,
)
SCHEDULE = OpenApiExample(
    "Added", value=_SCHEDULE, media_type="application/json", response_only=True
)
SCHEDULE_REPLACE = OpenApiExample(
    "Later on Saturdays",
    value={**_SCHEDULE_FIELDS, "start_time": "08:00:00", "end_time": "10:00:00"},
    media_type="application/json",
    request_only=True,
)
SCHEDULE_REPLACED = OpenApiExample(
    "Replaced",
    value={**_SCHEDULE, "start_time": "08:00:00", "end_time": "10:00:00"},
    media_type="application/json",
    response_only=True,
)
SCHEDULE_MOVE = OpenApiExample(
    "Moved to Sunday",
    value={"day_of_week": 1},
    media_type="application/json",
    request_only=True,
)
SCHEDULE_MOVED = OpenApiExample(
    "Moved",
    value={**_SCHEDULE, "day_of_week": 1, "day_of_week_display": "রবিবার"},
    media_type="application/json",
    response_only=True,
)

_SPECIAL_FIELDS = {
    "waste_type": "bulky",
    "description": "একটি পুরনো তিন-সিটের সোফা ও একটি ভাঙা খাট।",
    "address": "বাড়ি ১২, রোড ৪, ধানমন্ডি, ঢাকা",
    "ward_number": "5",
    "preferred_date": "2025-03-20",
    "latitude": "23.74650000",
    "longitude": "90.37600000",
}
SPECIAL_CREATE = OpenApiExample(
    "A sofa, paid by bKash",
    value={**_SPECIAL_FIELDS, "payment_method": "bkash", "phone_number": "01711000005"},
    media_type="application/json",
    request_only=True,
)
SPECIAL_CREATE_FREE = OpenApiExample(
    "Construction debris (no fee set)",
    value={
        **_SPECIAL_FIELDS,
        "waste_type": "construction",
        "description": "বাথরুম সংস্কারের পর প্রায় ২০ বস্তা ইট-সুরকি।",
    },
    media_type="application/json",
    request_only=True,
)
SPECIAL_STARTED = OpenApiExample(
    "Asked; send the payer to payment_url",
    value={
        "id": SPECIAL_ID,
        "status": "requested",
        "fee": "500.00",
        "payment_state": "pending",
        "payment_id": PAYMENT_ID,
        "transaction_id": "CCP20250314B5D20E7A9C31",
        "payment_url": BKASH_PAGE,
        "bkash_url": BKASH_PAGE,
    },
    media_type="application/json",
    response_only=True,
)
SPECIAL_STARTED_FREE = OpenApiExample(
    "Asked; nothing to pay",
    value={"id": SPECIAL_ID, "status": "requested", "fee": None, "payment_state": "not_required"},
    media_type="application/json",
    response_only=True,
)
SPECIAL_SCHEDULE = OpenApiExample(
    "Scheduled for Thursday",
    value={
        "status": "scheduled",
        "scheduled_date": "2025-03-20",
        "comment": "সকাল ১০টার মধ্যে জিনিসগুলো বাড়ির সামনে রাখুন।",
    },
    media_type="application/json",
    request_only=True,
)
SPECIAL_SCHEDULED = OpenApiExample(
    "Scheduled",
    value={
        "id": SPECIAL_ID,
        "citizen": "0d6f3b8e-2a41-4c59-9e7d-81b2c4a6f053",
        "citizen_name": "রহিম উদ্দিন",
        **_SPECIAL_FIELDS,
        "waste_type_display": "বড় আকারের জিনিস",
        "status": "scheduled",
        "status_display": "নির্ধারিত",
        "scheduled_date": "2025-03-20",
        "staff_comment": "সকাল ১০টার মধ্যে জিনিসগুলো বাড়ির সামনে রাখুন।",
        "fee": "500.00",
        "payment_state": "paid",
        "payment_state_display": "পরিশোধিত",
        "payment_id": PAYMENT_ID,
        "created_at": "2025-03-14T10:15:02.118204+06:00",
        "updated_at": "2025-03-15T09:40:27.553901+06:00",
        "collected_at": None,
    },
    media_type="application/json",
    response_only=True,
)
