"""OpenAPI examples of /notifications/: a citizen reads the news about their complaint."""

from drf_spectacular.utils import OpenApiExample

FCM_TOKEN = (
    "fQ7x2Lk9TQm4Vd3nR8sB1c:APA91bHk3Zp0qW7rT2yX9vN4mL6jF8dS1aG5hK0oP3uI7eR2wQ9zX4cV6bN1mM8lK3jH5"
    "gF0dS7aP2oI9uY4tR6eW1qZ3xC5vB8nM0lK2jH4gF6dS9aP1oI3uY5tR7eW0qZ2xC4vB6nM8lK1jH3gF5dS"
)

MARKED_READ = OpenApiExample(
    "Now read",
    value={
        "id": "0928127e-7ee0-4e0f-8ff8-419873e86a4d",
        "kind": "complaint.status_changed",
        "title": "অভিযোগ CC202503140007: প্রক্রিয়াধীন",
        "body": (
            "আপনার অভিযোগ “সবুজবাগ বাজারের মোড়ে ময়লার স্তূপ” এখন: প্রক্রিয়াধীন। "
            "পরিচ্ছন্নতা কর্মী পাঠানো হচ্ছে, আজ বিকেলের মধ্যে ময়লা সরানো হবে।"
        ),
        "data": {
            "complaint_id": "be60f222-bdb3-445c-a281-bee5242b4e92",
            "tracking_number": "CC202503140007",
            "status": "প্রক্রিয়াধীন",
            "status_code": "in_progress",
        },
        "is_read": True,
        "read_at": "2025-03-14T11:20:44.096318+06:00",
        "created_at": "2025-03-14T11:05:48.702251+06:00",
    },
    response_only=True,
    status_codes=[200],
)
ALL_MARKED_READ = OpenApiExample(
    "Three were unread", value={"updated": 3}, response_only=True, status_codes=[200]
)

REGISTER_DEVICE = OpenApiExample(
    "An Android phone",
    value={"token": FCM_TOKEN, "platform": "android"},
    request_only=True,
)
DEVICE_REGISTERED = OpenApiExample(
    "Registered",
    value={
        "id": "cc55ddd2-1500-4ab3-9698-0adcfbcca5cd",
        "token": FCM_TOKEN,
        "platform": "android",
        "is_active": True,
        "last_seen_at": "2025-03-14T10:20:39.551207+06:00",
        "created_at": "2025-03-14T10:20:39.548730+06:00",
    },
    response_only=True,
    status_codes=[201],
)
