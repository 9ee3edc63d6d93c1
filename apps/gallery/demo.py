"""The gallery's categories and a few demo photos for `seed_demo`, drawn at seed time with Pillow
(no photo of a real place is kept in the repository). Safe to run again."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from apps.users.models import User, UserType

from .models import GalleryCategory, GalleryImage
from .services import image_create

DEMO_PUBLISHER = "+8801700000001"  # the demo super admin (may add city-wide photos)
FONT = Path(settings.BASE_DIR) / "core" / "fonts" / "NotoSans-Bold.ttf"

DEMO_CATEGORIES = [
    {"slug": "events", "name_bn": "অনুষ্ঠান", "name_en": "Events", "sort_order": 1},
    {"slug": "cleanup", "name_bn": "পরিচ্ছন্নতা অভিযান", "name_en": "Cleanup drives",
     "sort_order": 2},
    {"slug": "before-after", "name_bn": "আগে ও পরে", "name_en": "Before and after",
     "sort_order": 3},
    {"slug": "infrastructure", "name_bn": "অবকাঠামো", "name_en": "Infrastructure",
     "sort_order": 4},
]  # fmt: skip

DEMO_IMAGES = [
    {
        "title": "ডেমো: ৫ নম্বর ওয়ার্ডে খাল পরিষ্কার অভিযান",
        "title_en": "Demo: canal cleanup drive in ward 5",
        "description": "ডেমো ছবি, বীজ দেওয়ার সময় আঁকা।",
        "category": "cleanup",
        "ward_number": "5",
        "scene": ("#7fb3d5", "#2e86c1", "CLEANUP"),
    },
    {
        "title": "ডেমো: নতুন ময়লার কনটেইনার",
        "title_en": "Demo: new waste containers",
        "description": "ডেমো ছবি, বীজ দেওয়ার সময় আঁকা।",
        "category": "infrastructure",
        "ward_number": "1",
        "scene": ("#aed6f1", "#7d8c8d", "CONTAINERS"),
    },
    {
        "title": "ডেমো: রাস্তা আগে ও পরে",
        "title_en": "Demo: a street before and after",
        "description": "ডেমো ছবি, বীজ দেওয়ার সময় আঁকা।",
        "category": "before-after",
        "ward_number": "5",
        "scene": ("#f9e79f", "#a04000", "BEFORE | AFTER"),
    },
    {
        "title": "ডেমো: বিশ্ব পরিবেশ দিবসের র‍্যালি",
        "title_en": "Demo: World Environment Day rally",
        "description": "ডেমো ছবি, বীজ দেওয়ার সময় আঁকা।",
        "category": "events",
        "ward_number": None,
        "scene": ("#d5f5e3", "#1e8449", "RALLY"),
    },
]


def demo_picture(sky: str, ground: str, label: str, *, size=(1600, 1000)) -> bytes:
    """A drawn street scene (sky, ground, bins, trees, a truck) labelled DEMO, as a JPEG."""
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.62)
    draw.rectangle((0, horizon, width, height), fill=ground)
    draw.ellipse((width - 260, 60, width - 120, 200), fill="#f4d03f")  # the sun
    for index in range(5):  # trees
        x = 120 + index * 300
        draw.rectangle((x, horizon - 140, x + 30, horizon), fill="#6e2c00")
        draw.ellipse((x - 70, horizon - 300, x + 100, horizon - 120), fill="#239b56")
    for index in range(3):  # green bins
        x = 200 + index * 420
        draw.rectangle((x, horizon + 60, x + 110, horizon + 220), fill="#1d8348")
        draw.rectangle((x - 10, horizon + 45, x + 120, horizon + 70), fill="#145a32")
    draw.rectangle((900, horizon - 40, 1300, horizon + 120), fill="#f0f3f4")  # the truck
    draw.rectangle((1300, horizon + 10, 1420, horizon + 120), fill="#2874a6")
    for x in (980, 1200, 1360):
        draw.ellipse((x - 40, horizon + 90, x + 40, horizon + 170), fill="#17202a")
    font = ImageFont.truetype(str(FONT), 72) if FONT.exists() else ImageFont.load_default()
    draw.text((60, 40), f"DEMO · {label}", fill="#17202a", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def demo_categories_load() -> list[GalleryCategory]:
    """Create the four categories, or bring them back to their demo names (idempotent)."""
    return [
        GalleryCategory.objects.update_or_create(
            slug=fields["slug"], defaults={**fields, "is_active": True}
        )[0]
        for fields in DEMO_CATEGORIES
    ]


def demo_gallery_load() -> list[GalleryImage]:
    """The categories, then the demo photos that are missing (by title), added through the
    service as the demo super admin would; no photos without that account. Returns the photos
    created."""
    demo_categories_load()
    publisher = User.objects.filter(
        phone=DEMO_PUBLISHER, user_type=UserType.SUPER_ADMIN, is_active=True
    ).first()
    if publisher is None:
        return []
    created = []
    for number, entry in enumerate(DEMO_IMAGES, start=1):
        if GalleryImage.objects.filter(title=entry["title"]).exists():
            continue
        sky, ground, label = entry["scene"]
        upload = SimpleUploadedFile(
            f"demo-{number}.jpg", demo_picture(sky, ground, label), content_type="image/jpeg"
        )
        data = {key: value for key, value in entry.items() if key != "scene"}
        created.append(image_create(actor=publisher, data={**data, "image": upload}))
    return created
