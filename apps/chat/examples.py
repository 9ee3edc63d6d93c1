"""OpenAPI examples of /chat/: the ward-5 citizen asks about their complaint, the ward admin
answers, hands the conversation to a service provider, and closes it once the drain is clear."""

from drf_spectacular.utils import OpenApiExample

from apps.complaints.examples import COMPLAINT_ID, PROVIDER_ID, PROVIDER_NAME
from apps.users.examples import CITIZEN_ID, CITIZEN_NAME, WARD_ADMIN_ID, WARD_ADMIN_NAME

ROOM_ID = "5d0c1f7e-3b8a-4c2e-9f61-2a7d84b0c913"
QUESTION_ID = "c4e2a9d1-7f3b-4e58-a0c6-9b1d2e3f4a57"
ANSWER_ID = "0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b"
PHOTO_ID = "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9"
QUESTION = "আমার অভিযোগের ময়লা কি আজ সরানো হবে? দোকানিরা খুব কষ্টে আছেন।"
ANSWER = "জি, আজ বিকেলের মধ্যেই পরিচ্ছন্নতা কর্মী পৌঁছাবেন।"

_QUESTION_SENT = {
    "id": QUESTION_ID,
    "sender_id": CITIZEN_ID,
    "sender_name": CITIZEN_NAME,
    "message": QUESTION,
    "message_type": "text",
    "created_at": "2025-03-14T10:41:22.508113+06:00",
}
ROOM = {
    "id": ROOM_ID,
    "citizen": CITIZEN_ID,
    "citizen_name": CITIZEN_NAME,
    "ward_number": "5",
    "complaint": COMPLAINT_ID,
    "subject": "সবুজবাগ বাজারের ময়লা",
    "assigned_to": None,
    "assigned_to_name": None,
    "last_message": None,
    "last_message_at": None,
    "unread_count": 0,
    "is_closed": False,
    "closed_at": None,
    "created_at": "2025-03-14T10:40:03.117920+06:00",
}
ANSWERED_ROOM = {
    **ROOM,
    "last_message": {
        "id": ANSWER_ID,
        "sender_id": WARD_ADMIN_ID,
        "sender_name": WARD_ADMIN_NAME,
        "message": ANSWER,
        "message_type": "text",
        "created_at": "2025-03-14T11:02:37.906144+06:00",
    },
    "last_message_at": "2025-03-14T11:02:37.906144+06:00",
}

OPEN = OpenApiExample(
    "About a complaint",
    value={"complaint": COMPLAINT_ID, "subject": ROOM["subject"]},
    request_only=True,
)
OPENED = OpenApiExample("Opened", value=ROOM, response_only=True, status_codes=[201])
ALREADY_OPEN = OpenApiExample(
    "Already open",
    description="The citizen's open conversation about the same complaint, with what was said.",
    value={**ROOM, "last_message": _QUESTION_SENT, "last_message_at": _QUESTION_SENT["created_at"]},
    response_only=True,
    status_codes=[200],
)

SEND_TEXT = OpenApiExample(
    "A question",
    value={"message": QUESTION, "message_type": "text"},
    media_type="application/json",
    request_only=True,
)
SEND_PHOTO = OpenApiExample(
    "A photo",
    description="The photo is a file part named `file`; the value stands for the file. A PDF "
    "goes the same way with message_type `file`.",
    value={"message_type": "image", "message": "", "file": "IMG_20250314_104410.jpg"},
    media_type="multipart/form-data",
    request_only=True,
)
SENT = OpenApiExample(
    "Stored and sent",
    value={
        **_QUESTION_SENT,
        "room_id": ROOM_ID,
        "file_url": None,
        "file_name": None,
        "file_size": None,
        "is_read": False,
        "read_at": None,
    },
    response_only=True,
    status_codes=[201],
)
PHOTO_SENT = OpenApiExample(
    "A photo stored and sent",
    value={
        "id": PHOTO_ID,
        "room_id": ROOM_ID,
        "sender_id": CITIZEN_ID,
        "sender_name": CITIZEN_NAME,
        "message": "",
        "message_type": "image",
        "file_url": f"https://api.cleancare.example/api/v1/chat/messages/{PHOTO_ID}/file/",
        "file_name": "IMG_20250314_104410.jpg",
        "file_size": 231480,
        "is_read": False,
        "read_at": None,
        "created_at": "2025-03-14T10:44:19.330271+06:00",
    },
    response_only=True,
    status_codes=[201],
)

READ = OpenApiExample(
    "Read",
    value={"room_id": ROOM_ID, "marked": 2, "up_to": "2025-03-14T11:01:54.215530+06:00"},
    response_only=True,
    status_codes=[200],
)

ASSIGN = OpenApiExample(
    "To the service provider", value={"assigned_to": PROVIDER_ID}, request_only=True
)
ASSIGNED = OpenApiExample(
    "Handed on",
    value={**ANSWERED_ROOM, "assigned_to": PROVIDER_ID, "assigned_to_name": PROVIDER_NAME},
    response_only=True,
    status_codes=[200],
)
CLOSED = OpenApiExample(
    "Closed",
    value={**ANSWERED_ROOM, "is_closed": True, "closed_at": "2025-03-14T17:05:11.802634+06:00"},
    response_only=True,
    status_codes=[200],
)
