"""The demo conversation `seed_demo` loads: citizen +8801700000010 with the demo ward admin."""

from __future__ import annotations

from django.db import transaction

from apps.users.models import User

from .models import ChatRoom
from .services import message_send, room_open

DEMO_CITIZEN = "+8801700000010"
DEMO_WARD_ADMIN = "+8801700000002"
DEMO_LINES = [
    ("citizen", "আসসালামু আলাইকুম। আমাদের গলির ড্রেন তিন দিন ধরে উপচে পড়ছে, কবে পরিষ্কার হবে?"),
    ("staff", "ওয়ালাইকুম আসসালাম। আমরা খবর পেয়েছি; কাল সকালে পরিচ্ছন্নতা দল যাবে।"),
    ("citizen", "ধন্যবাদ। গলিটা ৫ নম্বর রোডের মসজিদের পাশে।"),
]


@transaction.atomic
def demo_conversation_load() -> ChatRoom | None:
    """Open the demo conversation once; nothing happens if the citizen has any room already or
    a demo account is missing. Written through the services, as the app would write it."""
    citizen = User.objects.filter(phone=DEMO_CITIZEN).first()
    admin = User.objects.filter(phone=DEMO_WARD_ADMIN).first()
    if citizen is None or admin is None or ChatRoom.objects.filter(citizen=citizen).exists():
        return None
    room, _created = room_open(citizen=citizen, subject="গলির ড্রেন উপচে পড়ছে")
    for side, text in DEMO_LINES:
        message_send(room=room, sender=citizen if side == "citizen" else admin, text=text)
    return room
