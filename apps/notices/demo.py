"""The seed's two sample notices (seed 004), which `seed_demo` publishes once."""

from __future__ import annotations

from apps.users.models import User, UserType

from .models import Notice
from .services import notice_create

DEMO_PUBLISHER = "+8801700000001"  # the demo super admin: both notices are city-wide
DEMO_NOTICES = [
    {
        "title": "সিস্টেম রক্ষণাবেক্ষণ",
        "content": "আগামীকাল রাত ১২টা থেকে ২টা পর্যন্ত সিস্টেম রক্ষণাবেক্ষণের কাজ চলবে।",
        "category": "সিস্টেম",
        "is_urgent": True,
    },
    {
        "title": "নতুন সেবা চালু",
        "content": "অনলাইন বর্জ্য সংগ্রহের সেবা এখন উপলব্ধ।",
        "category": "সেবা",
        "is_urgent": False,
    },
]


def demo_notices_load() -> list[Notice]:
    """Publish the sample notices that are missing (by title), through the service as the demo
    super admin would; nothing happens without that account. Returns the notices created.
    The urgent one is pushed to the demo citizens, as any urgent notice is."""
    publisher = User.objects.filter(
        phone=DEMO_PUBLISHER, user_type=UserType.SUPER_ADMIN, is_active=True
    ).first()
    if publisher is None:
        return []
    return [
        notice_create(actor=publisher, data=fields)
        for fields in DEMO_NOTICES
        if not Notice.objects.filter(title=fields["title"]).exists()
    ]
