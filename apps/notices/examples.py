"""OpenAPI examples of /notices/: ward 5's admin schedules a notice about a change of the waste
collection time, attaches the new timetable, then extends it by a week."""

from drf_spectacular.utils import OpenApiExample

from apps.users.examples import WARD_ADMIN_NAME

NOTICE_ID = "6e0b3f2a-9c14-4d7e-b851-3a2f90c4d6e8"
TITLE = "৫ নম্বর ওয়ার্ডে বর্জ্য সংগ্রহের নতুন সময়"
CONTENT = (
    "আগামী শনিবার থেকে ৫ নম্বর ওয়ার্ডে গৃহস্থালি বর্জ্য সকাল ৭টা থেকে ৯টার মধ্যে সংগ্রহ করা হবে। "
    "অনুগ্রহ করে এই সময়ের আগে ময়লা নির্দিষ্ট স্থানে রাখুন।"
)
CATEGORY = "বর্জ্য সংগ্রহ"

_FIELDS = {
    "title": TITLE,
    "content": CONTENT,
    "category": CATEGORY,
    "priority": "high",
    "is_urgent": False,
    "target_wards": ["5"],
    "published_at": "2025-03-15T08:00:00+06:00",
    "expires_at": "2025-03-22T20:00:00+06:00",
}
SCHEDULED = {
    "id": NOTICE_ID,
    **_FIELDS,
    "priority_display": "উচ্চ",
    "is_active": True,
    "state": "scheduled",
    "attachment_url": None,
    "attachment_name": None,
    "attachment_size": None,
    "view_count": 0,
    "created_by_name": WARD_ADMIN_NAME,
    "created_at": "2025-03-14T16:02:41.775310+06:00",
    "updated_at": "2025-03-14T16:02:41.775310+06:00",
}
WITH_TIMETABLE = {
    **SCHEDULED,
    "attachment_url": f"https://api.cleancare.example/api/v1/notices/{NOTICE_ID}/attachment/",
    "attachment_name": "ward-5-collection-times.pdf",
    "attachment_size": 48213,
}

CREATE = OpenApiExample(
    "Scheduled for ward 5",
    value=_FIELDS,
    media_type="application/json",
    request_only=True,
)
CREATE_WITH_FILE = OpenApiExample(
    "With the timetable attached",
    description="The attachment is a file part named `attachment` (a PDF or a photo); the value "
    "stands for the file. Each ward is a `target_wards` part of its own.",
    value={**_FIELDS, "attachment": "ward-5-collection-times.pdf"},
    media_type="multipart/form-data",
    request_only=True,
)
CREATED = OpenApiExample("Scheduled", value=WITH_TIMETABLE, response_only=True, status_codes=[201])

REPLACE = OpenApiExample(
    "Every field again",
    description="PUT: fields left out take their defaults (no `target_wards` would mean the "
    "whole city); `published_at` left out keeps the old time.",
    value={**_FIELDS, "content": CONTENT + " বৃষ্টির দিনে সময় এক ঘণ্টা পিছিয়ে যেতে পারে।"},
    request_only=True,
)
REPLACED = OpenApiExample(
    "Replaced",
    value={
        **WITH_TIMETABLE,
        "content": REPLACE.value["content"],
        "updated_at": "2025-03-14T17:20:05.118204+06:00",
    },
    response_only=True,
    status_codes=[200],
)
EXTEND = OpenApiExample(
    "A week longer", value={"expires_at": "2025-03-29T20:00:00+06:00"}, request_only=True
)
EXTENDED = OpenApiExample(
    "Extended",
    value={
        **WITH_TIMETABLE,
        "state": "published",
        "expires_at": "2025-03-29T20:00:00+06:00",
        "view_count": 214,
        "updated_at": "2025-03-21T09:45:30.402771+06:00",
    },
    response_only=True,
    status_codes=[200],
)
