"""OpenAPI examples of /complaints/: one complaint of ward 5, from filing to the citizen's rating.

The citizen files it on 14 March 2025 at 10:24, then adds a photo and fixes the text; the ward admin
raises its priority, takes it up and hands it to a service provider, who resolves it that
afternoon; the citizen rates it the next morning.
"""

from drf_spectacular.utils import OpenApiExample

from apps.users.examples import CITIZEN_ID, CITIZEN_NAME, WARD_ADMIN_ID, WARD_ADMIN_NAME

COMPLAINT_ID = "be60f222-bdb3-445c-a281-bee5242b4e92"
PROVIDER_ID = "e9da15e5-f0ab-4536-af56-cf79777d82ef"
PROVIDER_NAME = "মো. জাকির হোসেন"
MEDIA = f"https://api.cleancare.example/media/complaints/{COMPLAINT_ID}"

TITLE = "সবুজবাগ বাজারের পাশে ময়লার স্তূপ"
DESCRIPTION = "তিন দিন ধরে ময়লা নেওয়া হয়নি। দুর্গন্ধে রাস্তা দিয়ে হাঁটা যাচ্ছে না।"
LOCATION = "সবুজবাগ বাজার, বাসাবো রোড"
NEW_TITLE = "সবুজবাগ বাজারের মোড়ে ময়লার স্তূপ"
NEW_DESCRIPTION = "তিন দিন ধরে ময়লা নেওয়া হয়নি। স্তূপটি এখন রাস্তার অর্ধেক জুড়ে, রিকশা চলতে পারছে না।"

PHOTO = {
    "id": "7a8159bf-f7a8-4051-9e28-91bc2257aa85",
    "image_url": f"{MEDIA}/2f4c6e81a09b4d37b5e1c8d2f0a6b394.jpg",
    "thumbnail_url": f"{MEDIA}/thumb-91d3b7e5c2f04a68a1e9d6b3c7f20e58.jpg",
    "image_name": "IMG_20250314_103327.jpg",
    "file_size": 184320,
    "width": 1600,
    "height": 1200,
    "uploaded_at": "2025-03-14T10:35:10.118402+06:00",
}
TAKEN_UP = {
    "id": "a03eaeb3-6c62-4a67-a93a-eff8786e6725",
    "old_status": "জমা দেওয়া হয়েছে",
    "old_status_code": "submitted",
    "new_status": "প্রক্রিয়াধীন",
    "new_status_code": "in_progress",
    "comment": "পরিচ্ছন্নতা কর্মী পাঠানো হচ্ছে, আজ বিকেলের মধ্যে ময়লা সরানো হবে।",
    "updated_by": WARD_ADMIN_ID,
    "updated_by_name": WARD_ADMIN_NAME,
    "photo_url": None,
    "photo_thumbnail_url": None,
    "created_at": "2025-03-14T11:05:48.630914+06:00",
}
RESOLVED = {
    "id": "9a3aec90-e965-48fe-b91a-211994ac008e",
    "old_status": "প্রক্রিয়াধীন",
    "old_status_code": "in_progress",
    "new_status": "সমাধান হয়েছে",
    "new_status_code": "resolved",
    "comment": "ময়লা সরানো হয়েছে এবং জায়গাটি ব্লিচিং পাউডার দিয়ে পরিষ্কার করা হয়েছে।",
    "updated_by": PROVIDER_ID,
    "updated_by_name": PROVIDER_NAME,
    "photo_url": f"{MEDIA}/updates/5c1e9a7d3b2f4e68a0d4c7b9e1f30a26.jpg",
    "photo_thumbnail_url": f"{MEDIA}/updates/thumb-0e4b7c2a9f1d4635b8a7c3e5d2f9a104.jpg",
    "created_at": "2025-03-14T16:45:12.274530+06:00",
}

# The complaint object (detail shape) as the citizen filed it.
FILED = {
    "id": COMPLAINT_ID,
    "tracking_number": "CC202503140007",
    "user": CITIZEN_ID,
    "user_name": CITIZEN_NAME,
    "title": TITLE,
    "description": DESCRIPTION,
    "category": "বর্জ্য ব্যবস্থাপনা",
    "category_code": "waste",
    "category_display": "বর্জ্য ব্যবস্থাপনা",
    "priority": "মধ্যম",
    "priority_code": "medium",
    "priority_display": "মধ্যম",
    "status": "জমা দেওয়া হয়েছে",
    "status_code": "submitted",
    "status_display": "জমা দেওয়া হয়েছে",
    "location": LOCATION,
    "latitude": "23.73912000",
    "longitude": "90.42987000",
    "ward_number": "5",
    "assigned_to": None,
    "assigned_to_name": None,
    "rating": None,
    "feedback": None,
    "rated_at": None,
    "created_at": "2025-03-14T10:24:05.482311+06:00",
    "updated_at": "2025-03-14T10:24:05.482311+06:00",
    "resolved_at": None,
    "images": [],
    "updates": [],
}
EDITED = {
    **FILED,
    "title": NEW_TITLE,
    "description": NEW_DESCRIPTION,
    "images": [PHOTO],
    "updated_at": "2025-03-14T10:41:56.307288+06:00",
}
REPRIORITISED = {
    **EDITED,
    "priority": "উচ্চ",
    "priority_code": "high",
    "priority_display": "উচ্চ",
    "updated_at": "2025-03-14T11:02:17.845063+06:00",
}
IN_PROGRESS = {
    **REPRIORITISED,
    "status": "প্রক্রিয়াধীন",
    "status_code": "in_progress",
    "status_display": "প্রক্রিয়াধীন",
    "assigned_to": PROVIDER_ID,
    "assigned_to_name": PROVIDER_NAME,
    "updated_at": "2025-03-14T11:06:30.552719+06:00",
    "updates": [TAKEN_UP],
}
RATED = {
    **IN_PROGRESS,
    "status": "সমাধান হয়েছে",
    "status_code": "resolved",
    "status_display": "সমাধান হয়েছে",
    "rating": 4,
    "feedback": "দ্রুত কাজ হয়েছে, ধন্যবাদ। তবে ডাস্টবিনটি নিয়মিত খালি করা দরকার।",
    "rated_at": "2025-03-15T08:12:55.901846+06:00",
    "resolved_at": "2025-03-14T16:45:12.274530+06:00",
    "updated_at": "2025-03-15T08:12:55.901846+06:00",
    "updates": [TAKEN_UP, RESOLVED],
}

_FIELDS = {
    "title": TITLE,
    "description": DESCRIPTION,
    "location": LOCATION,
    "latitude": 23.73912,
    "longitude": 90.42987,
    "ward_number": "5",
}
CREATE = OpenApiExample(
    "Waste piling up",
    value={**_FIELDS, "category": "বর্জ্য ব্যবস্থাপনা", "priority": "মধ্যম"},
    media_type="application/json",
    request_only=True,
)
CREATE_WITH_PHOTOS = OpenApiExample(
    "With a photo",
    description="The text fields, with English codes for category and priority (the stored "
    "Bengali values work too). Each photo is a file part named `images` (or `images[]`), "
    "up to 5.",
    value={**_FIELDS, "category": "waste", "priority": "medium"},
    media_type="multipart/form-data",
    request_only=True,
)
CREATED = OpenApiExample("Filed", value=FILED, response_only=True, status_codes=[201])
CREATED_WITH_PHOTO = OpenApiExample(
    "Filed with a photo",
    value={**FILED, "images": [{**PHOTO, "uploaded_at": "2025-03-14T10:24:05.493127+06:00"}]},
    response_only=True,
    status_codes=[201],
)

EDIT = OpenApiExample(
    "The citizen rewrites the text",
    description="Before work starts the owner may change the text, category, priority, place "
    "and ward; afterwards staff may change only priority and ward.",
    value={"title": NEW_TITLE, "description": NEW_DESCRIPTION},
    request_only=True,
)
EDIT_SAVED = OpenApiExample("Rewritten", value=EDITED, response_only=True, status_codes=[200])
REPRIORITISE = OpenApiExample(
    "The ward admin raises the priority", value={"priority": "উচ্চ"}, request_only=True
)
REPRIORITISED_SAVED = OpenApiExample(
    "Priority raised", value=REPRIORITISED, response_only=True, status_codes=[200]
)

ADD_PHOTO = OpenApiExample(
    "A photo",
    description="Each photo is a file part named `images`; the value stands for the file.",
    value={"images": ["IMG_20250314_103327.jpg"]},
    media_type="multipart/form-data",
    request_only=True,
)
PHOTO_ADDED = OpenApiExample(
    "All photos",
    description="Every photo of the complaint, the new ones included (here it had none before).",
    value=PHOTO,
    response_only=True,
    status_codes=[201],
)

TAKE_UP = OpenApiExample(
    "Work starts",
    value={"status": "প্রক্রিয়াধীন", "comment": TAKEN_UP["comment"]},
    request_only=True,
)
STATUS_CHANGED = OpenApiExample(
    "The new history entry", value=TAKEN_UP, response_only=True, status_codes=[201]
)

ASSIGN = OpenApiExample(
    "Hand it to a service provider", value={"assigned_to": PROVIDER_ID}, request_only=True
)
ASSIGNED = OpenApiExample("Assigned", value=IN_PROGRESS, response_only=True, status_codes=[200])

RATE = OpenApiExample(
    "Four stars", value={"rating": 4, "feedback": RATED["feedback"]}, request_only=True
)
RATED_SAVED = OpenApiExample("Rated", value=RATED, response_only=True, status_codes=[200])
