"""OpenAPI examples of /gallery/: ward 5's admin posts a photo of a cleanup drive, gives it an
English title, then moves it to the before-and-after category."""

from drf_spectacular.utils import OpenApiExample

IMAGE_ID = "9a4c2e71-3b58-4f0d-a6e2-51c8d7f40b93"
MEDIA = "https://api.cleancare.example/media/gallery"
TITLE = "৫ নম্বর ওয়ার্ডে খাল পরিষ্কার অভিযান"
DESCRIPTION = "স্বেচ্ছাসেবক ও পরিচ্ছন্নতাকর্মীরা মিলে ধোলাই খালের দুই কিলোমিটার পরিষ্কার করেছেন।"

_FIELDS = {
    "title": TITLE,
    "title_en": "",
    "description": DESCRIPTION,
    "category": "cleanup",
    "ward_number": "5",
}
POSTED = {
    "id": IMAGE_ID,
    **_FIELDS,
    "category_display": "পরিচ্ছন্নতা অভিযান",
    "image_url": f"{MEDIA}/{IMAGE_ID}/3f9b1c0a7e2d4c58b6a1d0e9f8c7b6a5.jpg",
    "thumbnail_url": f"{MEDIA}/{IMAGE_ID}/thumb-8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b.jpg",
    "width": 1920,
    "height": 1440,
    "view_count": 0,
    "created_at": "2025-03-15T11:20:14.503118+06:00",
}

CREATE = OpenApiExample(
    "A cleanup drive in ward 5",
    description="The photo is a file part named `image`; the value stands for the file.",
    value={**_FIELDS, "image": "canal-cleanup.jpg"},
    media_type="multipart/form-data",
    request_only=True,
)
CREATED = OpenApiExample("Added", value=POSTED, response_only=True, status_codes=[201])

REPLACE = OpenApiExample(
    "Every detail again, with an English title",
    description="PUT: fields left out take their defaults (no `ward_number` would mean the "
    "whole city); without an `image` part the photo stays.",
    value={**_FIELDS, "title_en": "Canal cleanup drive in ward 5"},
    media_type="multipart/form-data",
    request_only=True,
)
REPLACED = OpenApiExample(
    "Replaced",
    value={**POSTED, "title_en": "Canal cleanup drive in ward 5", "view_count": 37},
    response_only=True,
    status_codes=[200],
)
RENAME = OpenApiExample(
    "Into before and after",
    value={"category": "before-after"},
    media_type="multipart/form-data",
    request_only=True,
)
RENAMED = OpenApiExample(
    "Moved",
    value={
        **POSTED,
        "title_en": "Canal cleanup drive in ward 5",
        "category": "before-after",
        "category_display": "আগে ও পরে",
        "view_count": 52,
    },
    response_only=True,
    status_codes=[200],
)
