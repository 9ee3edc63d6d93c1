"""OpenAPI examples of /emergency/: a kitchen fire in ward 5 on the evening of 14 March 2025,
taken by the ward admin within two minutes and resolved by the fire service's visit."""

from drf_spectacular.utils import OpenApiExample

from apps.users.examples import (
    CITIZEN_ID,
    CITIZEN_NAME,
    CITIZEN_PHONE,
    WARD_ADMIN_ID,
    WARD_ADMIN_NAME,
)

EMERGENCY_ID = "6f2d9c4b-1e7a-4a38-b5d0-8c3e2f1a9b74"
DESCRIPTION = "রান্নাঘরে আগুন লেগেছে, ধোঁয়ায় সিঁড়ি ভরে গেছে। তিনতলায় বয়স্ক মানুষ আছেন।"
LOCATION = "বাড়ি ১২, রোড ৩, বাসাবো"

RAISED_VALUE = {
    "id": EMERGENCY_ID,
    "user": CITIZEN_ID,
    "user_name": CITIZEN_NAME,
    "user_phone": CITIZEN_PHONE,
    "emergency_type": "অগ্নিকাণ্ড",
    "emergency_type_code": "fire",
    "emergency_type_display": "অগ্নিকাণ্ড",
    "description": DESCRIPTION,
    "location": LOCATION,
    "latitude": "23.73954000",
    "longitude": "90.42811000",
    "ward_number": "5",
    "status": "জমা দেওয়া হয়েছে",
    "status_code": "submitted",
    "status_display": "জমা দেওয়া হয়েছে",
    "priority": "উচ্চ",
    "assigned_to": None,
    "assigned_to_name": None,
    "hotline": "999",
    "created_at": "2025-03-14T19:12:40.215308+06:00",
    "updated_at": "2025-03-14T19:12:40.215308+06:00",
    "responded_at": None,
    "escalated_at": None,
    "resolved_at": None,
    "history": [
        {
            "id": "2b7e4f90-3c1d-4e8a-9f62-7d5a0b1c3e48",
            "old_status": None,
            "new_status": "জমা দেওয়া হয়েছে",
            "new_status_code": "submitted",
            "assigned_to": None,
            "assigned_to_name": None,
            "comment": None,
            "updated_by": CITIZEN_ID,
            "updated_by_name": CITIZEN_NAME,
            "created_at": "2025-03-14T19:12:40.219771+06:00",
        }
    ],
}
TAKEN_STEP = {
    "id": "8d1f3a6e-9b2c-4d7f-a054-e6c8b9d0f1a2",
    "old_status": "জমা দেওয়া হয়েছে",
    "new_status": "জমা দেওয়া হয়েছে",
    "new_status_code": "submitted",
    "assigned_to": WARD_ADMIN_ID,
    "assigned_to_name": WARD_ADMIN_NAME,
    "comment": None,
    "updated_by": WARD_ADMIN_ID,
    "updated_by_name": WARD_ADMIN_NAME,
    "created_at": "2025-03-14T19:14:02.661930+06:00",
}

RAISE = OpenApiExample(
    "A kitchen fire",
    value={
        "emergency_type": "fire",
        "description": DESCRIPTION,
        "location": LOCATION,
        "latitude": 23.73954,
        "longitude": 90.42811,
    },
    request_only=True,
)
RAISED = OpenApiExample("Raised", value=RAISED_VALUE, response_only=True, status_codes=[201])

TAKE = OpenApiExample(
    "The ward admin takes it", value={"assigned_to": WARD_ADMIN_ID}, request_only=True
)
TAKEN = OpenApiExample(
    "Taken",
    value={
        **RAISED_VALUE,
        "assigned_to": WARD_ADMIN_ID,
        "assigned_to_name": WARD_ADMIN_NAME,
        "updated_at": TAKEN_STEP["created_at"],
        "responded_at": TAKEN_STEP["created_at"],
        "history": [*RAISED_VALUE["history"], TAKEN_STEP],
    },
    response_only=True,
    status_codes=[200],
)

ON_THE_WAY = OpenApiExample(
    "Help is on the way",
    value={"status": "in_progress", "comment": "ফায়ার সার্ভিসকে জানানো হয়েছে, গাড়ি রওনা দিয়েছে।"},
    request_only=True,
)
STATUS_CHANGED = OpenApiExample(
    "The new step",
    value={
        "id": "4c9a2e7b-5d3f-4b18-8e60-a1f2c3d4e5b6",
        "old_status": "জমা দেওয়া হয়েছে",
        "new_status": "প্রক্রিয়াধীন",
        "new_status_code": "in_progress",
        "assigned_to": WARD_ADMIN_ID,
        "assigned_to_name": WARD_ADMIN_NAME,
        "comment": "ফায়ার সার্ভিসকে জানানো হয়েছে, গাড়ি রওনা দিয়েছে।",
        "updated_by": WARD_ADMIN_ID,
        "updated_by_name": WARD_ADMIN_NAME,
        "created_at": "2025-03-14T19:15:27.038412+06:00",
    },
    response_only=True,
    status_codes=[201],
)
